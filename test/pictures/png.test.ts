import { Resvg } from '@resvg/resvg-js';
import { parseJobInstance } from '../../src/dataarts/parse';
import { encodeOpaquePng, FONT_FILES, svgToPng } from '../../src/pictures/png';
import { fitText, textWidth } from '../../src/pictures/text-width';
import { timelineSvg } from '../../src/pictures/timeline';
import { bigInstance } from '../../src/simulator/scenarios';
import { decodePng, inkIn } from './svg-checks';

const NOW = Date.UTC(2024, 10, 25, 14, 0, 0);

function pngSize(png: Buffer): { width: number; height: number } {
  // The IHDR chunk follows the 8-byte signature: length, "IHDR", width, height.
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test.each([5, 800, 5000])('a %i-node timeline is a PNG of the SVG’s size, at least 800 px wide', (count) => {
  const pic = timelineSvg(parseJobInstance(bigInstance('warehouse', '51000', count, NOW)), { now: NOW });
  const { png, width, height } = svgToPng(pic.svg);
  expect(pngSize(png)).toEqual({ width: pic.width, height: pic.height });
  expect({ width, height }).toEqual({ width: pic.width, height: pic.height });
  expect(width).toBeGreaterThanOrEqual(800);
  expect(height).toBeLessThan(1_500);
  const decoded = decodePng(png);
  expect([decoded.width, decoded.height]).toEqual([pic.width, pic.height]);
  // The title is drawn: ink where it stands, none in the empty top-right corner.
  expect(inkIn(decoded, { x: 24, y: 16, width: 300, height: 24 })).toBeGreaterThan(200);
  expect(inkIn(decoded, { x: pic.width - 60, y: 0, width: 60, height: 14 })).toBe(0);
});

test('text renders with the packaged fonts, system fonts off', () => {
  const svg = (body: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60" font-family="Lato"><rect width="300" height="60" fill="#fff"/>${body}</svg>`;
  const withText = decodePng(svgToPng(svg('<text x="10" y="40" font-size="24">Timeline 12:30</text>')).png);
  const bold = decodePng(
    svgToPng(svg('<text x="10" y="40" font-size="24" font-weight="700">Timeline 12:30</text>')).png,
  );
  const blank = decodePng(svgToPng(svg('')).png);
  const area = { x: 0, y: 0, width: 300, height: 60 };
  expect(inkIn(blank, area)).toBe(0);
  expect(inkIn(withText, area)).toBeGreaterThan(300);
  expect(inkIn(bold, area)).toBeGreaterThan(inkIn(withText, area));
  // Letters Lato lacks come from the fallback font instead of vanishing.
  const cyrillic = decodePng(svgToPng(svg('<text x="10" y="40" font-size="24">Привет</text>')).png);
  expect(inkIn(cyrillic, area)).toBeGreaterThan(200);
  expect(FONT_FILES.every((file) => file.endsWith('.ttf'))).toBe(true);
});

test('scale 2 doubles the pixels', () => {
  const pic = timelineSvg(parseJobInstance(bigInstance('warehouse', '51000', 5, NOW)), { now: NOW });
  expect(pngSize(svgToPng(pic.svg, { scale: 2 }).png)).toEqual({
    width: pic.width * 2,
    height: pic.height * 2,
  });
});

test('the PNG writer keeps every pixel’s colour', () => {
  const rgba = Buffer.from([
    255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 18, 52, 86, 255, 255, 255, 255, 255, 0, 0, 0, 255,
  ]);
  const decoded = decodePng(encodeOpaquePng(rgba, 3, 2));
  expect([decoded.width, decoded.height]).toEqual([3, 2]);
  expect([...decoded.data]).toEqual([...rgba]);
});

test('the width table matches the rendered text within 3 %', () => {
  for (const [sample, weight] of [
    ['transform_dwd_orders_0001', 'regular'],
    ['failed · 2 retries · 14m 13s', 'bold'],
    ['WAREHOUSE load (nightly) #51000', 'regular'],
  ] as const) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="40" font-family="Lato"><text x="0" y="30" font-size="20" font-weight="${weight === 'bold' ? 700 : 400}">${sample}</text></svg>`;
    const box = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: FONT_FILES } }).getBBox()!;
    // The box hugs the ink; advance widths include side bearings, a pixel or two more.
    expect(Math.abs(textWidth(sample, 20, weight) - box.width) / box.width).toBeLessThan(0.03);
  }
});

test('fitText keeps what fits and cuts the middle of what does not', () => {
  expect(fitText('short', 200, 12)).toBe('short');
  const cut = fitText('sync_ods_customers_orders_payments_0001', 120, 12);
  expect(textWidth(cut, 12)).toBeLessThanOrEqual(120);
  expect(cut).toMatch(/^sync_ods.*….*0001$/);
  expect(fitText('x', 1, 12)).toBe('…');
});
