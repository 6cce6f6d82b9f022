/**
 * Three clocks: this machine's, DataArts' (the client's estimate from its `Date` headers) and Slack's (the `Date`
 * of its answer). Two that differ cannot say which is wrong; a third that agrees with one of them can. Pure.
 * Why it matters: DataArts' gateway refuses signatures more than 15 minutes off ("signature expired"), and the
 * bot refuses Slack requests whose timestamp is more than 5 minutes from its own clock.
 */
import { type Check, duration, fail, ok, skip } from './check';

export const CLOCKS = 'Clocks';
/** Differences up to this are fine (Date headers have whole seconds; a round trip adds a little). */
export const CLOCK_TOLERANCE_MS = 60_000;

export interface ClockReadings {
  /** DataArts' clock minus ours (ms), when DataArts answered. */
  dataarts?: number;
  /** Slack's clock minus ours (ms), when Slack answered with a Date. */
  slack?: number;
}

const NTP =
  "Sync this machine's clock with NTP (`timedatectl` shows whether it is synchronised; `timedatectl set-ntp true`, or chrony), then run doctor again.";
const WHY =
  "DataArts' gateway refuses signatures more than 15 minutes off, and the bot refuses Slack requests more than 5 minutes off its clock.";

export function clockCheck({ dataarts, slack }: ClockReadings): Check {
  if (dataarts === undefined && slack === undefined)
    return skip(CLOCKS, 'nothing answered with a time to compare with.');
  const off = (offset: number | undefined): offset is number =>
    offset !== undefined && Math.abs(offset) > CLOCK_TOLERANCE_MS;
  /** How this machine's clock stands to another that is `offset` ahead of it. */
  const ours = (offset: number) => `${duration(offset)} ${offset > 0 ? 'behind' : 'ahead of'}`;
  const theirs = (offset: number) => `${duration(offset)} ${offset > 0 ? 'ahead of' : 'behind'}`;

  if (!off(dataarts) && !off(slack)) {
    const parts = [
      dataarts !== undefined ? `DataArts' (${duration(dataarts)} apart)` : undefined,
      slack !== undefined ? `Slack's (${duration(slack)} apart)` : undefined,
    ].filter(Boolean);
    return ok(CLOCKS, `this machine's clock agrees with ${parts.join(' and ')}`);
  }
  if (off(dataarts) && off(slack)) {
    if (Math.abs(dataarts - slack) <= CLOCK_TOLERANCE_MS)
      return fail(
        CLOCKS,
        `This machine's clock is off: ${ours(dataarts)} DataArts' and ${ours(slack)} Slack's, which agree. ${WHY}`,
        NTP,
      );
    return fail(
      CLOCKS,
      `This machine's clock is ${ours(dataarts)} DataArts' and ${ours(slack)} Slack's. ${WHY}`,
      NTP,
    );
  }
  if (off(dataarts)) {
    if (slack !== undefined)
      return fail(
        CLOCKS,
        `DataArts' clock is off: ${theirs(dataarts)} this machine's and Slack's, which agree. ${WHY}`,
        "This machine agrees with Slack, so DataArts' clock is the one off: make sure this machine keeps syncing with NTP (`timedatectl`), and raise the gap with your cloud's support before it reaches 15 minutes.",
      );
    return fail(
      CLOCKS,
      `DataArts' clock is ${theirs(dataarts)} this machine's: one of them is off, most likely this machine's. ${WHY}`,
      NTP,
    );
  }
  // Only Slack's differs.
  if (dataarts !== undefined)
    return fail(
      CLOCKS,
      `Slack's answer carried a time ${theirs(slack!)} this machine's and DataArts' clocks, which agree.`,
      'Look for a proxy between this machine and Slack that serves old answers (SLACK_API_URL, HTTPS_PROXY).',
    );
  return fail(
    CLOCKS,
    `Slack's clock is ${theirs(slack!)} this machine's: this machine's is most likely off. ${WHY}`,
    NTP,
  );
}
