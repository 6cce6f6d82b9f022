/**
 * App Home's "your watched jobs" section: each job's success rate over 7 days with a sparkline, drawn as an
 * image (from the bot's public URL, DLF_PUBLIC_URL) or, without one, as a line of block characters. Pure.
 */
import type { KnownBlock } from '@slack/types';
import { md, mrkdwn, truncate, truncateMarkup } from './markup';

export interface JobTrend {
  job: string;
  workspace?: string;
  /** Daily success rates, oldest first; null for a day without ended runs. */
  rates: (number | null)[];
  succeeded: number;
  ended: number;
  /** The sparkline picture's public URL, when the bot has one. */
  imageUrl?: string;
}

/** Jobs shown at most (plain-name watches; patterns are listed with the watches). */
export const MAX_TRENDS = 10;
const BARS = '▁▂▃▄▅▆▇█';

/** "▅▇█·▇██": one character per day, `·` for a day without ended runs. */
export function textSparkline(rates: readonly (number | null)[]): string {
  return rates
    .map((rate) => (rate === null ? '·' : BARS[Math.min(BARS.length - 1, Math.floor(rate * BARS.length))]))
    .join('');
}

export function trendBlocks(trends: readonly JobTrend[]): KnownBlock[] {
  if (trends.length === 0) return [];
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(md`*Your watched jobs, last 7 days*`) }];
  for (const trend of trends.slice(0, MAX_TRENDS)) {
    const rate = trend.ended > 0 ? `${Math.round((trend.succeeded / trend.ended) * 100)}%` : 'no runs ended';
    const line = md`*${truncate(trend.job, 128)}*${trend.workspace ? md` (workspace ${trend.workspace})` : ''} · success rate ${rate}${trend.ended > 0 ? ` (${trend.succeeded} of ${trend.ended})` : ''}${trend.imageUrl ? '' : md` · ${textSparkline(trend.rates)}`}`;
    blocks.push({ type: 'section', text: mrkdwn(line) });
    if (trend.imageUrl)
      blocks.push({
        type: 'image',
        image_url: trend.imageUrl,
        alt_text: truncateMarkup(
          md`Daily success rate of ${trend.job} over 7 days: ${trend.rates.map((r) => (r === null ? 'no runs' : `${Math.round(r * 100)}%`)).join(', ')}`,
          1_000,
        ).text,
      });
  }
  if (trends.length > MAX_TRENDS)
    blocks.push({
      type: 'context',
      elements: [mrkdwn(md`… and ${trends.length - MAX_TRENDS} more watched jobs.`)],
    });
  return blocks;
}
