/** Which clock is off, from this machine's, DataArts' and Slack's (clock.ts is pure). */
import { clockCheck } from '../../src/cli/doctor/clock';

const MINUTE = 60_000;

test.each([
  [{}, 'skip', 'nothing answered'],
  [
    { dataarts: 400, slack: -300 },
    'ok',
    "this machine's clock agrees with DataArts' (0 seconds apart) and Slack's (0 seconds apart)",
  ],
  [{ dataarts: 59_000 }, 'ok', "agrees with DataArts' (59 seconds apart)"],
  [
    { dataarts: 10 * MINUTE, slack: 0 },
    'fail',
    "DataArts' clock is off: 10 minutes ahead of this machine's and Slack's",
  ],
  [
    { dataarts: -10 * MINUTE },
    'fail',
    "DataArts' clock is 10 minutes behind this machine's: one of them is off",
  ],
  [
    { dataarts: 20 * MINUTE, slack: 20 * MINUTE },
    'fail',
    "This machine's clock is off: 20 minutes behind DataArts' and 20 minutes behind Slack's",
  ],
  [
    { dataarts: 3 * MINUTE, slack: 20 * MINUTE },
    'fail',
    "This machine's clock is 3 minutes behind DataArts' and 20 minutes behind Slack's",
  ],
  [{ slack: -150 * MINUTE }, 'fail', "Slack's clock is 2 hours 30 minutes behind this machine's"],
  [{ dataarts: 0, slack: 5 * MINUTE }, 'fail', "Slack's answer carried a time 5 minutes ahead of"],
])('%o → %s', (readings, status, text) => {
  const check = clockCheck(readings);
  expect(check.status).toBe(status);
  expect(check.detail).toContain(text);
  expect(check.fix === undefined).toBe(status !== 'fail');
});
