import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { boltLogger } from '../../src/slack/bolt-logger';

function captured() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

test('the SDK repeating a warning while Slack is unreachable: once, then at most every 30 s with a count', () => {
  const { lines, logger } = captured();
  let now = 0;
  const bolt = boltLogger(logger, { clock: () => now });
  for (let attempt = 1; attempt <= 15; attempt++) {
    bolt.warn(`http request failed connect ECONNREFUSED 127.0.0.1:${40_000 + attempt}`);
    now += 400;
  }
  bolt.warn('a different warning');
  expect(lines.map((line) => line.msg)).toEqual([
    'http request failed connect ECONNREFUSED 127.0.0.1:40001',
    'a different warning',
  ]);
  now += 30_000;
  bolt.warn('http request failed connect ECONNREFUSED 127.0.0.1:40016');
  expect(lines.at(-1)).toMatchObject({ repeated: 14 });
  // Errors and the other levels are never held back.
  bolt.error(new Error('boom'));
  bolt.info('started');
  expect(lines.slice(-2).map((line) => line.level)).toEqual([50, 30]);
});
