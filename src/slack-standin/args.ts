/** Web API arguments as Slack reads them (form, JSON body or query; JSON fields parsed), with typed readers. */

/** Arguments that carry JSON inside a form field. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'unfurls', 'files']);

export function decodeArgs(
  raw: string,
  contentType: string,
  query: URLSearchParams,
): Record<string, unknown> {
  const isJson = contentType.includes('application/json');
  const args: Record<string, unknown> = {};
  for (const [name, value] of [...query, ...new URLSearchParams(isJson ? '' : raw)])
    args[name] = JSON_FIELDS.has(name) ? parseOrKeep(value) : value;
  const body = isJson && raw ? parseOrKeep(raw) : undefined;
  return body && typeof body === 'object' && !Array.isArray(body) ? { ...args, ...body } : args;
}

function parseOrKeep(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export class Args {
  constructor(readonly all: Record<string, unknown>) {}

  has(name: string): boolean {
    return this.all[name] !== undefined;
  }

  str(name: string): string | undefined {
    const value = this.all[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }

  bool(name: string): boolean {
    const value = this.all[name];
    return value === true || value === 'true' || value === '1' || value === 1;
  }

  int(name: string): number | undefined {
    const value = Number(this.str(name));
    return Number.isInteger(value) ? value : undefined;
  }

  /** A JSON field as sent: an object, an array, or the raw text when it did not parse. */
  json(name: string): unknown {
    return this.all[name];
  }
}
