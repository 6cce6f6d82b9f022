/** Percentiles, CPU time from /proc, and the table the benchmarks print. */
import { readFileSync } from 'node:fs';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function summarize(samples: number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
    n: sorted.length,
  };
}

/** CPU seconds (user + system) a process, or one of its threads, has used, from /proc. */
export function cpuSeconds(pid: number, thread?: number): number {
  const file = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface Row {
  measured: string;
  value: string;
  baseline: string;
  baselineValue: string;
  ratio: string;
  target?: string;
}

export function printTable(rows: Row[]): string {
  const columns: (keyof Row)[] = ['measured', 'value', 'baseline', 'baselineValue', 'ratio', 'target'];
  return formatTable(
    ['Measured', 'Bot', 'Baseline', 'Baseline value', 'Ratio', 'Target'],
    rows.map((row) => columns.map((column) => row[column] ?? '')),
  );
}

/** A Markdown table, columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => `| ${widths.map((w, i) => (row[i] ?? '').padEnd(w)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export const ms = (value: number) => `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
