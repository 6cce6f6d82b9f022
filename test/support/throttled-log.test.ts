import { Writable } from 'node:stream';
import pino from 'pino';
import { throttledWarn } from '../../src/support/throttled-log';

test('a warning repeated many times a second is logged once per interval, with how many were skipped', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  let now = 0;
  const warn = throttledWarn(logger, 'redis error', { intervalMs: 30_000, clock: () => now });
  for (let i = 0; i < 10 * 60; i++) {
    warn({ err: 'ECONNREFUSED' });
    now += 100;
  }
  // A minute of 10 errors a second: the first at 0 s, then one at 30 s with the 299 skipped meanwhile.
  expect(lines.map((line) => line.msg)).toEqual(['redis error', 'redis error']);
  expect(lines[1]).toMatchObject({ err: 'ECONNREFUSED', repeated: 299 });
});
