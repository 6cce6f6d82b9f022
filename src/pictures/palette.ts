/**
 * Colours and words for statuses, shared by every picture so a failure is the same red everywhere. Slack's own
 * palette, picked so each status differs in lightness too (readable in greyscale and by most colour-blind eyes).
 */
import { type NodeStatus, statusText } from '../dataarts/model';

export type StatusKey =
  | 'success'
  | 'fail'
  | 'running'
  | 'pause'
  | 'manual-stop'
  | 'skip'
  | 'waiting'
  | 'unknown';

export const STATUS_STYLE: Record<StatusKey, { fill: string; label: string }> = {
  success: { fill: '#2eb67d', label: 'succeeded' },
  fail: { fill: '#e01e5a', label: 'failed' },
  running: { fill: '#1d9bd1', label: 'running' },
  pause: { fill: '#ecb22e', label: 'paused' },
  'manual-stop': { fill: '#7c4d9e', label: 'stopped manually' },
  skip: { fill: '#b8b8b8', label: 'skipped' },
  waiting: { fill: '#e8e8e8', label: 'waiting' },
  unknown: { fill: '#8c6d4f', label: 'unknown status' },
};

/** The order statuses are listed in: what needs attention first. */
export const STATUS_ORDER: StatusKey[] = [
  'fail',
  'running',
  'pause',
  'manual-stop',
  'unknown',
  'success',
  'skip',
  'waiting',
];

export function statusKey(status: NodeStatus | string): StatusKey {
  const text = typeof status === 'string' ? status : statusText(status);
  return text in STATUS_STYLE ? (text as StatusKey) : 'unknown';
}

export const INK = '#1d1c1d';
export const MUTED = '#616061';
export const FAINT = '#dddddd';
export const STRIPE = '#f6f6f6';
export const SLOW = '#c26a00';
