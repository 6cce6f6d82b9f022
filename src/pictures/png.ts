/**
 * SVG → PNG with resvg (a Rust renderer shipped as prebuilt binaries on npm: no browser, no system libraries).
 * Fonts come from npm packages as TTF (resvg cannot read WOFF2), loaded by path with system fonts off, so a
 * picture is the same on every machine and text renders on a fresh one. Lato (Slack's own typeface) draws the
 * text; Inter fills in the letters Lato lacks (Cyrillic, Greek, most of Latin Extended).
 *
 * The PNG file is written here rather than by resvg: its encoder (adaptive filters, default compression) took
 * 40 % of a timeline's time budget; our pictures are flat colours on an opaque background, for which RGB rows
 * without filters and zlib level 3 give a smaller file in half the time.
 */
import { constants, crc32, deflateSync } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';

export const FONT_FILES = [
  require.resolve('@expo-google-fonts/lato/400Regular/Lato_400Regular.ttf'),
  require.resolve('@expo-google-fonts/lato/700Bold/Lato_700Bold.ttf'),
  require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
];

export interface Png {
  png: Buffer;
  width: number;
  height: number;
}

/** Renders at the SVG's own size (`scale` 2 for a sharper picture on high-density screens). */
export function svgToPng(svg: string, options: { scale?: number } = {}): Png {
  const scale = options.scale ?? 1;
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'Lato' },
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
  });
  const rendered = resvg.render();
  const { width, height } = rendered;
  return { png: encodeOpaquePng(rendered.pixels, width, height), width, height };
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA pixels (alpha ignored: the pictures paint a white background) → an 8-bit RGB PNG. */
export function encodeOpaquePng(rgba: Buffer, width: number, height: number): Buffer {
  const stride = width * 3 + 1;
  const raw = Buffer.allocUnsafe(stride * height);
  let from = 0;
  for (let y = 0; y < height; y++) {
    let to = y * stride;
    raw[to++] = 0; // filter: none
    for (let x = 0; x < width; x++, from += 4) {
      raw[to++] = rgba[from]!;
      raw[to++] = rgba[from + 1]!;
      raw[to++] = rgba[from + 2]!;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // truecolour
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 3, strategy: constants.Z_DEFAULT_STRATEGY })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
