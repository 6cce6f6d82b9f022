/**
 * The one way strings reach our SVG: every text and attribute value goes through escapeXml, which also drops
 * what XML 1.0 forbids (control characters, lone surrogates) and what would reorder a label (bidi controls),
 * so a node name from DataArts can never break the document or the layout. Small element helpers on top.
 */

// XML 1.0 forbids C0 controls but tab/newline/CR; C1 controls and bidi overrides are legal but unsafe to show.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as shown on one line: unsafe characters dropped, any whitespace run (newlines, tabs) one space. */
export function cleanText(text: string): string {
  return text.replace(UNSAFE, '').replace(/\s+/g, ' ').trim();
}

export function escapeXml(text: string): string {
  return cleanText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Coordinates with at most one decimal: smaller documents, same picture. */
export function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A rendered picture: the SVG, its size in pixels, and what it shows in words. */
export interface Picture {
  svg: string;
  width: number;
  height: number;
  /** What the picture shows (≤ 1,000 characters, Slack's limit for a file's alt text). */
  alt: string;
}

type Attrs = Record<string, string | number | undefined>;

function attributes(attrs: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return out;
}

export function el(name: string, attrs: Attrs, children = ''): string {
  return children ? `<${name}${attributes(attrs)}>${children}</${name}>` : `<${name}${attributes(attrs)}/>`;
}

/** A text element; its content is escaped here, so callers pass the raw string. */
export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return `<text${attributes({ x, y, ...attrs })}>${escapeXml(content)}</text>`;
}

export function rect(x: number, y: number, width: number, height: number, attrs: Attrs = {}): string {
  return el('rect', { x, y, width: Math.max(0, width), height: Math.max(0, height), ...attrs });
}

export function line(x1: number, y1: number, x2: number, y2: number, attrs: Attrs = {}): string {
  return el('line', { x1, y1, x2, y2, ...attrs });
}

/** The whole document: white background, our font, a <title> (the alt text) for screen readers and search. */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" ` +
    `viewBox="0 0 ${num(width)} ${num(height)}" font-family="Lato" font-size="12" fill="#1d1c1d">` +
    `<title>${escapeXml(title)}</title>${rect(0, 0, width, height, { fill: '#ffffff' })}${body}</svg>`
  );
}
