/** Status words and emoji: the vocabulary every Slack surface uses for instance and node states. */
import { type InstanceStatus, type NodeStatus, statusText } from '../../dataarts/model';

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

/** An emoji shortcode of our own (never data). */
export function statusEmoji(status: InstanceStatus | NodeStatus | string): string {
  return EMOJI.get(typeof status === 'string' ? status : statusText(status)) ?? ':grey_question:';
}
