/**
 * The one flow behind the command, the modal and the message shortcut: fetch the instance, render it,
 * post it where it was asked for. Errors come back as values so each surface can tell the person its way.
 */
import { type InstanceRef, lookupInstance } from '../../dataarts/lookup';
import type { JobInstance } from '../../dataarts/model';
import { renderInstanceMessage } from '../blocks/instance-message';
import type { PostOutcome, PostTarget, RenderedMessage } from './publisher';
import type { SlackServices } from './services';

export type ShowResult =
  | { kind: 'posted'; instance: JobInstance; channel: string; ts: string; permalink?: string }
  /** Slack would not let the bot post there; the rendered message is returned for a response_url reply. */
  | { kind: 'refused'; instance: JobInstance; message: RenderedMessage; error: string }
  | { kind: 'failed'; error: unknown };

/** What the flow needs: a part of the services, so the look-up thread can build just these. */
export type ShowDeps = Pick<SlackServices, 'dataarts' | 'publisher' | 'clock' | 'consoleUrl' | 'logger'>;

export function renderFor(
  services: Pick<SlackServices, 'clock' | 'consoleUrl'>,
  instance: JobInstance,
  workspace?: string,
  subscribed = false,
) {
  return renderInstanceMessage(instance, {
    now: services.clock(),
    workspace,
    consoleUrl: services.consoleUrl,
    subscribed,
  });
}

export async function showInstance(
  services: ShowDeps,
  ref: InstanceRef,
  target: PostTarget,
): Promise<ShowResult> {
  let instance: JobInstance;
  try {
    instance = await lookupInstance(services.dataarts, ref);
  } catch (error) {
    return { kind: 'failed', error };
  }
  const message = renderFor(services, instance, ref.workspace);
  let outcome: PostOutcome;
  try {
    outcome = await services.publisher.post(target, message);
  } catch (error) {
    services.logger.error({ err: error, channel: target.channel }, 'posting an instance message failed');
    return { kind: 'failed', error };
  }
  if (outcome.kind === 'refused') return { kind: 'refused', instance, message, error: outcome.error };
  return { kind: 'posted', instance, channel: outcome.channel, ts: outcome.ts, permalink: outcome.permalink };
}
