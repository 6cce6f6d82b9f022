/** JSON out of the simulator: instance ids (kept as decimal strings inside) go out as exact JSON numbers. */
import { LosslessNumber, stringify } from 'lossless-json';

function withExactIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withExactIds);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] =
      key === 'instanceId' && typeof field === 'string' && /^\d+$/.test(field)
        ? new LosslessNumber(field)
        : withExactIds(field);
  }
  return out;
}

export function toJson(value: unknown): string {
  return stringify(withExactIds(value)) ?? 'null';
}
