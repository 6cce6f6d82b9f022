/**
 * Query and body parameters of the API, checked as DataArts does: anything malformed is 400 DLF.3051 (the
 * docs' examples use that code for bad parameters; its message may say more).
 */

export class BadParameter extends Error {}

/** A whole-number query parameter within bounds; undefined when absent. */
export function intParam(
  query: URLSearchParams,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) throw new BadParameter();
  return value;
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new BadParameter();
}

/** The optional run-immediate body: `{"jobParams":[{name ≤64, value ≤1024, paramType?}]}`. */
export function readJobParams(body: Buffer): void {
  if (body.length === 0) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadParameter('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadParameter();
  const params = (parsed as { jobParams?: unknown }).jobParams;
  if (params === undefined) return;
  const valid =
    Array.isArray(params) &&
    params.every((param: { name?: unknown; value?: unknown; paramType?: unknown } | null) => {
      if (typeof param !== 'object' || param === null) return false;
      const { name, value, paramType } = param;
      return (
        typeof name === 'string' &&
        name.length > 0 &&
        name.length <= 64 &&
        typeof value === 'string' &&
        value.length <= 1024 &&
        (paramType === undefined || paramType === 'variable' || paramType === 'constants')
      );
    });
  if (!valid) throw new BadParameter();
}
