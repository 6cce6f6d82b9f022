/** Test helpers for our SVGs: strict XML (resvg parses with a strict XML 1.0 reader) and the texts drawn. */
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import type { JobInstance, JobNode } from '../../src/dataarts/model';

/** Throws, naming the fault, unless the SVG is well-formed XML that resvg accepts. */
export function assertWellFormed(svg: string): void {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(svg))
    throw new Error('the SVG holds a lone surrogate');
  new Resvg(svg, { font: { loadSystemFonts: false } });
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Every <text>'s content, unescaped, in document order. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => decode(match[1]!));
}

export function decodePng(png: Buffer): PNG {
  return PNG.sync.read(png);
}

/** Pixels of the region that are clearly not white (text, bars, lines). */
export function inkIn(png: PNG, region: { x: number; y: number; width: number; height: number }): number {
  let ink = 0;
  for (let y = region.y; y < region.y + region.height; y++)
    for (let x = region.x; x < region.x + region.width; x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i]! + png.data[i + 1]! + png.data[i + 2]! < 600) ink++;
    }
  return ink;
}

const T0 = Date.UTC(2024, 10, 25, 1, 0, 0);

export function node(
  name: string,
  status: string,
  startMin?: number,
  endMin?: number,
  extra: Partial<JobNode> = {},
): JobNode {
  return {
    name,
    status: status as JobNode['status'],
    type: 'DLI Spark',
    ...(startMin !== undefined ? { startTime: T0 + startMin * 60_000 } : {}),
    ...(endMin !== undefined ? { endTime: T0 + endMin * 60_000 } : {}),
    ...extra,
  };
}

export function instance(nodes: JobNode[], extra: Partial<JobInstance> = {}): JobInstance {
  const starts = nodes.flatMap((n) => (n.startTime === undefined ? [] : [n.startTime]));
  const ends = nodes.flatMap((n) => (n.endTime === undefined ? [] : [n.endTime]));
  return {
    jobName: 'nightly_sales_etl',
    instanceId: '1042',
    status: 'success',
    startTime: starts.length > 0 ? Math.min(...starts) : T0,
    endTime: ends.length > 0 ? Math.max(...ends) : T0 + 60_000,
    total: nodes.length,
    nodes,
    forceSuccess: false,
    ignoreSuccess: false,
    ...extra,
  };
}

export const minutes = (m: number) => T0 + m * 60_000;
