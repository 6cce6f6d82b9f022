/**
 * The log of a failure, in the thread of the reply or alert that told it: once that message is posted, the tail
 * of its first failed node's log is read from OBS and posted in its thread, exactly once (its own marker), as
 * work of its own (so an OBS that is slow or down never holds up a reply, an alert, or the alerts behind it).
 * What the log cannot show becomes one sentence in the thread (the renderer's).
 */
import { statusText } from '../dataarts/model';
import type { LogExcerpt, LogExcerpts } from '../logs/excerpts';
import type { Delivery, Notifier } from './notifier';
import type { PollOutcome } from './poller';

/** What the work carries: where the excerpt goes, and the node whose log it is. */
export interface LogRequest {
  /** The excerpt's marker key (the told message's, prefixed). */
  key: string;
  channel: string;
  threadTs: string;
  workspace?: string;
  job: string;
  instanceId: string;
  node: string;
  logPath: string;
}

/** The excerpt to post after this delivery (a failure reply or alert whose first failed node has a log), if any. */
export function logRequestOf(delivery: Delivery, ts: string): LogRequest | undefined {
  const { content } = delivery;
  if (content.kind !== 'end' && content.kind !== 'alert' && content.kind !== 'again') return undefined;
  if (statusText(content.instance.status) !== 'fail') return undefined;
  const node = content.instance.nodes.find((each) => statusText(each.status) === 'fail' && each.logPath);
  if (!node?.logPath) return undefined;
  return {
    key: `log:${delivery.key}`,
    channel: delivery.channel,
    threadTs: delivery.threadTs ?? ts,
    ...(content.workspace ? { workspace: content.workspace } : {}),
    job: content.instance.jobName,
    instanceId: content.instance.instanceId,
    node: node.name,
    logPath: node.logPath,
  };
}

/** The excerpt without the whole tail (which only the Full log button uploads). */
function shown(excerpt: LogExcerpt): LogExcerpt {
  return excerpt.kind === 'excerpt' ? { ...excerpt, full: '' } : excerpt;
}

export class LogFollowUps {
  constructor(private readonly deps: { excerpts: LogExcerpts; notifier: Notifier }) {}

  async post(request: LogRequest): Promise<PollOutcome> {
    const excerpt = await this.deps.excerpts.read(request.logPath);
    const result = await this.deps.notifier.deliver({
      key: request.key,
      channel: request.channel,
      threadTs: request.threadTs,
      content: {
        kind: 'log',
        ...(request.workspace ? { workspace: request.workspace } : {}),
        job: request.job,
        instanceId: request.instanceId,
        node: request.node,
        excerpt: shown(excerpt),
      },
    });
    if (result.outcome === 'retry-later')
      return { done: false, delayMs: Math.max(1_100, result.retryAfterMs ?? 2_000) };
    return { done: true };
  }
}
