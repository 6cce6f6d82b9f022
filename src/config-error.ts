/** A configuration that cannot work: every problem is listed, each naming the setting, never a secret's value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/** Trimmed value, or undefined when unset or blank. */
export function setting(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** A positive integer setting with a default; a problem is recorded for anything else. */
export function intSetting(env: Env, name: string, fallback: number, problems: string[], min = 1): number {
  const raw = setting(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    problems.push(`${name} must be a whole number of at least ${min} (got "${raw}").`);
    return fallback;
  }
  return value;
}

export function urlSetting(env: Env, name: string, problems: string[]): string | undefined {
  const raw = setting(env, name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
    return raw.replace(/\/+$/, '');
  } catch {
    problems.push(
      `${name} must be an http(s) URL such as https://dayu-dlf.eu-de.otc.t-systems.com (got "${raw}").`,
    );
    return undefined;
  }
}

/** A number (decimals allowed) of at least `min`, with a default. */
export function numberSetting(
  env: Env,
  name: string,
  fallback: number,
  problems: string[],
  min: number,
): number {
  const raw = setting(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    problems.push(`${name} must be a number of at least ${min} (got "${raw}").`);
    return fallback;
  }
  return value;
}

/** A duration in seconds (decimals allowed), returned in milliseconds. */
export function secondsSetting(
  env: Env,
  name: string,
  fallbackSeconds: number,
  problems: string[],
  minSeconds: number,
): number {
  const raw = setting(env, name);
  if (raw === undefined) return fallbackSeconds * 1000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < minSeconds) {
    problems.push(`${name} must be a number of seconds, at least ${minSeconds} (got "${raw}").`);
    return fallbackSeconds * 1000;
  }
  return Math.round(value * 1000);
}

export function booleanSetting(env: Env, name: string, problems: string[], fallback = false): boolean {
  const raw = setting(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false (got "${raw}").`);
  return fallback;
}
