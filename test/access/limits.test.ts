/** The fair-share decisions (access/limits.ts) on their own: windows in memory, and windows that fail. */
import { DEFAULT_LIMITS, FairShare, MemoryRateWindows, type RateWindows } from '../../src/access/limits';

test('per person and per channel in one minute: the first full window refuses, and counts nowhere', async () => {
  let now = 1_000_000;
  const refused: string[] = [];
  const limits = new FairShare(
    { ...DEFAULT_LIMITS, lookUpsPerUserPerMinute: 2, lookUpsPerChannelPerMinute: 3 },
    new MemoryRateWindows(),
    () => now,
    (reason) => refused.push(reason),
  );
  expect(await limits.lookUp('U1', 'C1')).toBeUndefined();
  expect(await limits.lookUp('U1', 'C1')).toBeUndefined();
  expect(await limits.lookUp('U1', 'C1')).toMatchObject({ limit: 'lookUpsPerUserPerMinute', allowed: 2 });
  // The refused one counted nowhere: the channel has room for one more.
  expect(await limits.lookUp('U2', 'C1')).toBeUndefined();
  expect(await limits.lookUp('U3', 'C1')).toMatchObject({ limit: 'lookUpsPerChannelPerMinute' });
  expect(refused).toEqual(['lookups_per_person', 'lookups_per_channel']);
  now += 60_001;
  expect(await limits.lookUp('U1', 'C1')).toBeUndefined();
});

test('windows that cannot be read (the store down or full): the request goes ahead and the failure is told', async () => {
  const failing: RateWindows = {
    take: async () => {
      throw new Error('OOM command not allowed when used memory > maxmemory');
    },
  };
  const failures: unknown[] = [];
  const limits = new FairShare(DEFAULT_LIMITS, failing, Date.now, undefined, (error) => failures.push(error));
  expect(await limits.lookUp('U1', 'C1')).toBeUndefined();
  expect(await limits.write('U1')).toBeUndefined();
  expect(failures).toHaveLength(2);
});
