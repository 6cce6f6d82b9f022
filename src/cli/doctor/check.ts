/** One line of the doctor's report: what was checked, how it went, and for a failure what to do. */

export type CheckStatus = 'ok' | 'fail' | 'skip';

export interface Check {
  /** Stable for scripts: "Settings", "DataArts project", "Workspace 1a2b…", "Slack token", … */
  name: string;
  status: CheckStatus;
  /** What was found (ok), why it was not checked (skip), or what is wrong (fail). */
  detail: string;
  /** What to do about a failure, naming the setting or the place to change. */
  fix?: string;
}

/** Where the checks go as they are made (the text report prints them at once; --json collects them). */
export type Report = (check: Check) => void;

export const ok = (name: string, detail: string): Check => ({ name, status: 'ok', detail });
export const skip = (name: string, detail: string): Check => ({ name, status: 'skip', detail });
export const fail = (name: string, detail: string, fix: string): Check => ({
  name,
  status: 'fail',
  detail,
  fix,
});

/** "10 minutes", "1 hour 5 minutes", "45 seconds": a clock difference or a wait, said plainly. */
export function duration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  const unit = (count: number, name: string) => `${count} ${name}${count === 1 ? '' : 's'}`;
  if (seconds < 120) return unit(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(rest, 'minute')}`;
}

/** "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
