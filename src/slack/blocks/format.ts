/** Status words and emoji, Slack date tokens and mrkdwn escaping: the vocabulary of every Slack surface. */
import { type InstanceStatus, type NodeStatus, statusText } from '../../dataarts/model';

const WORDS: Record<string, string> = {
  waiting: 'Waiting',
  running: 'Running',
  success: 'Succeeded',
  fail: 'Failed',
  'running-exception': 'Running with an exception',
  pause: 'Paused',
  'manual-stop': 'Stopped manually',
  skip: 'Skipped',
};

const EMOJI: Record<string, string> = {
  waiting: ':hourglass_flowing_sand:',
  running: ':arrows_counterclockwise:',
  success: ':white_check_mark:',
  fail: ':x:',
  'running-exception': ':warning:',
  pause: ':double_vertical_bar:',
  'manual-stop': ':black_square_for_stop:',
  skip: ':fast_forward:',
};

/** Accepts a parsed status or its text (as stored or counted); anything unknown is named as such. */
export function statusWords(status: InstanceStatus | NodeStatus | string): string {
  const text = typeof status === 'string' ? status : statusText(status);
  return WORDS[text] ?? `Unknown status "${text || 'none'}"`;
}

export function statusEmoji(status: InstanceStatus | NodeStatus | string): string {
  return EMOJI[typeof status === 'string' ? status : statusText(status)] ?? ':grey_question:';
}

/** Escapes the three characters mrkdwn gives meaning to. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives any input (a backtick would end it). */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, "'")}\``;
}

function utcText(ms: number): string {
  return `${new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '')} UTC`;
}

/** A date each reader sees in their own time zone, with a UTC fallback where Slack cannot render it. */
export function dateToken(ms: number, format = '{date_short_pretty} at {time_secs}'): string {
  return `<!date^${Math.floor(ms / 1000)}^${format}|${utcText(ms)}>`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
