/** Waits on the stand-in's recorded state for tests; on timeout they say what was there instead, field by field. */

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout message. */
  what?: string;
}

/** A pattern for `T`: any subset of its fields; each value is a plain value, a RegExp, a Matcher or a predicate. */
export type Pattern<T> = { [K in keyof T]?: unknown };

export class Matcher {
  constructor(
    readonly description: string,
    readonly test: (value: unknown) => boolean,
  ) {}
}

/** Matches any value whose JSON contains the fragment: handy for blocks. */
export function containing(fragment: string): Matcher {
  return new Matcher(`JSON containing ${JSON.stringify(fragment)}`, (value) =>
    (JSON.stringify(value) ?? '').includes(fragment),
  );
}

function show(value: unknown): string {
  const text = value instanceof RegExp ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** Where `actual` differs from `pattern`, one line per field ("text: expected /done/, got \"running\""). */
export function mismatches(actual: unknown, pattern: unknown, path = ''): string[] {
  const here = path || 'value';
  const differs = (expected: string) => [`${here}: expected ${expected}, got ${show(actual)}`];
  if (pattern instanceof Matcher) return pattern.test(actual) ? [] : differs(pattern.description);
  if (pattern instanceof RegExp)
    return typeof actual === 'string' && pattern.test(actual) ? [] : differs(String(pattern));
  if (typeof pattern === 'function')
    return (pattern as (value: unknown) => unknown)(actual)
      ? []
      : differs(`to satisfy ${pattern.name || 'a predicate'}`);
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual) || actual.length !== pattern.length) return differs(`${pattern.length} items`);
    return pattern.flatMap((item, index) => mismatches(actual[index], item, `${path}[${index}]`));
  }
  if (pattern && typeof pattern === 'object') {
    if (!actual || typeof actual !== 'object') return differs('an object');
    return Object.entries(pattern).flatMap(([name, value]) =>
      mismatches((actual as Record<string, unknown>)[name], value, path ? `${path}.${name}` : name),
    );
  }
  return Object.is(actual, pattern) ? [] : differs(show(pattern));
}

/** The candidates closest to the pattern (fewest differing fields), each with its differences. */
export function closestReport<T>(candidates: T[], pattern: unknown, label: (candidate: T) => string): string {
  if (candidates.length === 0) return 'There were none.';
  const ranked = candidates
    .map((candidate) => ({ candidate, differences: mismatches(candidate, pattern) }))
    .sort((a, b) => a.differences.length - b.differences.length)
    .slice(0, 3);
  return [
    `${candidates.length} there; the closest:`,
    ...ranked.map(({ candidate, differences }) => `  ${label(candidate)}\n    ${differences.join('\n    ')}`),
  ].join('\n');
}

/** Resolves with the first value of `check` that is not undefined, null or false; rejects after the timeout. */
export async function waitUntil<T>(
  check: () => T | undefined | null | false,
  options: WaitOptions,
  explain: () => string,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}.\n${explain()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}
