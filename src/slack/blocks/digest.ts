/**
 * The channel's digest: for each job watched here, the last 24 hours (runs succeeded, failed, stopped, still
 * running), its current failure streak and its slowest run against its usual duration; the chart of outcomes per
 * hour goes into the digest's thread. Pure: the summaries in, Block Kit out.
 */
import type { KnownBlock } from '@slack/types';
import type { JobDigest } from '../../digest/summary';
import { SLOW_FACTOR } from '../../following/usual';
import { humanDuration, plural } from '../../format';
import { code, dateToken, join, type Markup, md, mrkdwn, truncate, truncateMarkup } from './markup';

/** Jobs listed at most; the rest are counted. */
export const MAX_DIGEST_JOBS = 25;

export interface DigestContext {
  /** The end of the 24 hours (bot clock). */
  now: number;
  /** What is watched here: the patterns. */
  patterns: string[];
  /** The channel's daily time (HH:MM), if set. */
  daily?: string;
  timeZone: string;
}

function jobLine(digest: JobDigest): Markup {
  const counts: Markup[] = [
    md`:white_check_mark: ${digest.succeeded} succeeded`,
    md`${digest.failed > 0 ? ':x:' : ':heavy_minus_sign:'} ${digest.failed} failed`,
  ];
  if (digest.stopped > 0) counts.push(md`:black_square_for_stop: ${digest.stopped} stopped`);
  counts.push(md`:hourglass_flowing_sand: ${digest.running} running`);
  const lines: Markup[] = [
    md`*${truncate(digest.job, 128)}*${digest.workspace ? md` (workspace ${digest.workspace})` : ''}`,
    join(counts, ' · '),
  ];
  if (digest.streak > 1 || (digest.streak === 1 && digest.failed > 0))
    lines.push(
      md`:rotating_light: failing: the last ${digest.streakAtLeast ? `${digest.streak}+` : digest.streak} ${digest.streak === 1 ? 'run' : 'runs'} failed`,
    );
  if (digest.slowest) {
    const { instanceId, durationMs, usual } = digest.slowest;
    const factor = usual && usual.medianMs > 0 ? durationMs / usual.medianMs : undefined;
    const against = usual
      ? factor !== undefined && factor >= SLOW_FACTOR
        ? md`, *${Math.floor(factor * 10) / 10}× its usual* ${humanDuration(usual.medianMs)}`
        : md` (usual ${humanDuration(usual.medianMs)})`
      : md``;
    lines.push(
      md`${factor !== undefined && factor >= SLOW_FACTOR ? ':snail:' : ':stopwatch:'} slowest: #${instanceId} took ${humanDuration(durationMs)}${against}`,
    );
  }
  return join(lines, '\n');
}

/** Most failures first, then the longest streak, then by name. */
export function digestOrder(a: JobDigest, b: JobDigest): number {
  return b.failed - a.failed || b.streak - a.streak || a.job.localeCompare(b.job);
}

export function renderDigest(jobs: JobDigest[], ctx: DigestContext): { text: string; blocks: KnownBlock[] } {
  const sorted = [...jobs].sort(digestOrder);
  const total = (key: 'succeeded' | 'failed' | 'running') => sorted.reduce((sum, job) => sum + job[key], 0);
  const summary = md`${plural(sorted.length, 'watched job')}: ${total('succeeded')} succeeded, ${total('failed')} failed, ${total('running')} running in the last 24 hours`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Digest: the last 24 hours' } },
    {
      type: 'context',
      elements: [
        mrkdwn(
          truncateMarkup(
            md`${summary}, up to ${dateToken(ctx.now, '{date_short_pretty} at {time}')} · watched here: ${join(
              ctx.patterns.slice(0, 10).map((pattern) => code(truncate(pattern, 80))),
              ', ',
            )}${ctx.patterns.length > 10 ? ', …' : ''}`,
            2_900,
          ),
        ),
      ],
    },
    { type: 'divider' },
  ];
  if (sorted.length === 0)
    blocks.push({
      type: 'section',
      text: mrkdwn(md`:zzz: None of the jobs watched here ran in the last 24 hours.`),
    });
  for (const job of sorted.slice(0, MAX_DIGEST_JOBS))
    blocks.push({ type: 'section', text: mrkdwn(truncateMarkup(jobLine(job), 2_900)) });
  if (sorted.length > MAX_DIGEST_JOBS)
    blocks.push({
      type: 'context',
      elements: [mrkdwn(md`… and ${plural(sorted.length - MAX_DIGEST_JOBS, 'more job')} (fewer failures).`)],
    });
  blocks.push({
    type: 'context',
    elements: [
      mrkdwn(
        ctx.daily
          ? md`Daily at ${ctx.daily} (${ctx.timeZone}) · the chart of runs per hour is in the thread · ${code('/dlf-instance digest off')} stops it`
          : md`The chart of runs per hour is in the thread · ${code('/dlf-instance digest daily 09:00')} posts one every day`,
      ),
    ],
  });
  return { text: md`Digest: ${summary}.`.text, blocks };
}
