/**
 * How wide a label will be in Lato, without loading the font: the pictures are laid out before they are
 * rendered (and must stay pure), so long node names are cut to fit here. Advance widths of printable ASCII,
 * in thousandths of an em, read from the Lato TTFs that png.ts renders with (test/pictures/text-width.test.ts
 * checks them against the rendered text); anything else is estimated.
 */
import { cleanText } from './svg';

const REGULAR = [
  193, 343, 397, 580, 580, 786, 703, 230, 300, 300, 400, 580, 212, 347, 212, 373, 580, 580, 580, 580, 580,
  580, 580, 580, 580, 580, 252, 252, 580, 580, 580, 398, 822, 680, 647, 685, 753, 581, 566, 734, 756, 307,
  444, 681, 514, 920, 756, 798, 611, 798, 644, 530, 590, 730, 680, 1019, 643, 629, 624, 300, 375, 300, 580,
  394, 307, 507, 559, 467, 559, 524, 337, 511, 556, 256, 254, 524, 256, 821, 556, 556, 552, 559, 403, 434,
  373, 556, 512, 766, 504, 512, 462, 300, 300, 300, 580,
];
const BOLD = [
  193, 361, 422, 580, 580, 803, 714, 238, 300, 300, 400, 580, 225, 359, 225, 387, 580, 580, 580, 580, 580,
  580, 580, 580, 580, 580, 265, 265, 580, 580, 580, 421, 823, 710, 652, 671, 748, 573, 562, 723, 756, 314,
  437, 698, 517, 930, 756, 800, 625, 800, 655, 537, 595, 728, 710, 1047, 679, 655, 617, 300, 391, 300, 580,
  394, 319, 524, 570, 477, 570, 535, 351, 518, 569, 271, 269, 552, 271, 842, 569, 569, 566, 570, 409, 437,
  387, 569, 534, 791, 540, 534, 470, 300, 300, 300, 580,
];

/** The few other characters our own labels use: [regular, bold]. */
const EXTRA: Record<string, [number, number]> = {
  '·': [273, 280],
  '…': [727, 759],
  '×': [580, 580],
  '–': [556, 569],
  '—': [821, 842],
};

/** East Asian wide characters take a full em; other letters (drawn from the fallback font) about as much as an average Latin one. */
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;

export type Weight = 'regular' | 'bold';

export function textWidth(text: string, fontSize: number, weight: Weight = 'regular'): number {
  const table = weight === 'bold' ? BOLD : REGULAR;
  const column = weight === 'bold' ? 1 : 0;
  let thousandths = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 32 && code < 127) thousandths += table[code - 32]!;
    else thousandths += EXTRA[char]?.[column] ?? (WIDE.test(char) ? 1000 : 600);
  }
  return (thousandths / 1000) * fontSize;
}

/**
 * The text cut to fit `maxWidth`, with an ellipsis in the middle: node names differ at both ends
 * (`sync_ods_orders_0001`), so the start and the end are both kept.
 */
export function fitText(raw: string, maxWidth: number, fontSize: number, weight: Weight = 'regular'): string {
  const text = cleanText(raw);
  if (textWidth(text, fontSize, weight) <= maxWidth) return text;
  const chars = [...text];
  const budget = maxWidth - textWidth('…', fontSize, weight);
  let head = 0;
  let tail = 0;
  let used = 0;
  // Take characters alternately from the front (two) and the back (one), while they fit.
  for (let turn = 0; head + tail < chars.length; turn++) {
    const fromHead = turn % 3 !== 2;
    const char = fromHead ? chars[head]! : chars[chars.length - 1 - tail]!;
    const width = textWidth(char, fontSize, weight);
    if (used + width > budget) break;
    used += width;
    if (fromHead) head++;
    else tail++;
  }
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(chars.length - tail).join('') : ''}`;
}
