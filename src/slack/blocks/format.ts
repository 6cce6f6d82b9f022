/**
 * Status words and emoji: the vocabulary every Slack surface uses for instance and node states; and how a time
 * DataArts sent that made no sense is shown (unknown, with one line saying why).
 */
import { type InstanceStatus, type NodeStatus, statusText, type TimeField } from '../../dataarts/model';
import { ODD_TIMES_SENTENCE } from '../../format';
import { dateToken, type Markup, md } from './markup';

const WORDS = new Map<string, string>(
  Object.entries({
    waiting: 'Waiting',
    running: 'Running',
    success: 'Succeeded',
    fail: 'Failed',
    'running-exception': 'Running with an exception',
    pause: 'Paused',
    'manual-stop': 'Stopped manually',
    skip: 'Skipped',
  }),
);

const EMOJI = new Map<string, string>(
  Object.entries({
    waiting: ':hourglass_flowing_sand:',
    running: ':arrows_counterclockwise:',
    success: ':white_check_mark:',
    fail: ':x:',
    'running-exception': ':warning:',
    pause: ':double_vertical_bar:',
    'manual-stop': ':black_square_for_stop:',
    skip: ':fast_forward:',
  }),
);

/**
 * Accepts a parsed status or its text (as stored or counted); anything unknown is named as such. The result may
 * carry the unknown status verbatim: it is data, and is escaped where it is shown.
 */
export function statusWords(status: InstanceStatus | NodeStatus | string): string {
  const text = typeof status === 'string' ? status : statusText(status);
  return WORDS.get(text) ?? `Unknown status "${text || 'none'}"`;
}

/** The one line a surface adds when any time of what it shows made no sense. */
export function oddTimesNote(): Markup {
  return md`:grey_question: ${ODD_TIMES_SENTENCE}`;
}

/** A time as a date token; "unknown" where DataArts sent one that made no sense, `none` where it sent none. */
export function timeShown(
  item: { oddTimes?: readonly TimeField[] } & Partial<Record<TimeField, number>>,
  field: TimeField,
  none = '—',
  format?: string,
): Markup {
  const time = item[field];
  if (time !== undefined) return dateToken(time, format);
  return md`${item.oddTimes?.includes(field) ? 'unknown' : none}`;
}

/** An emoji shortcode of our own (never data). */
export function statusEmoji(status: InstanceStatus | NodeStatus | string): string {
  return EMOJI.get(typeof status === 'string' ? status : statusText(status)) ?? ':grey_question:';
}
