/**
 * The first middleware: a request from a Slack team the bot does not serve, or from someone of another
 * organisation (Slack Connect) when DLF_ALLOW_EXTERNAL_USERS is off, is acknowledged, answered with one sentence
 * where Slack lets the bot answer, and goes no further: nothing is read or written for it. What it decided is
 * left in the context (`external`) for the checks that come later (actions are never an external person's).
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { type AccessPolicy, originOf, type Refusal } from '../access/policy';
import type { Logger } from '../logger';
import { code, type Markup, md } from './blocks/markup';
import { loadingModal } from './blocks/nodes-modal';

export function refusalSentence(refusal: Refusal): Markup {
  return refusal === 'other-team'
    ? md`:no_entry: This DLF bot serves only the Slack workspace it is installed in, so it does not answer requests from this team.`
    : md`:no_entry: This DLF bot answers only people of the organisation that installed it, not guests from other organisations in shared channels. An admin can allow them with ${code('DLF_ALLOW_EXTERNAL_USERS')}.`;
}

export function refuseOutsiders(policy: AccessPolicy, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const origin = originOf(args.body);
    const refusal = policy.refusal(origin);
    args.context.external = policy.isExternal(origin);
    if (!refusal) return args.next();
    logger.info({ refusal, team: origin.team, userTeam: origin.userTeam }, 'request refused: not served');
    const text = refusalSentence(refusal).text;
    const body = args.body as { type?: string; command?: string; response_url?: string };
    const ack = (args as { ack?: (answer?: unknown) => Promise<void> }).ack;
    const respond = (args as { respond?: (message: unknown) => Promise<unknown> }).respond;
    if (typeof body.command === 'string') return ack?.({ response_type: 'ephemeral', text });
    if (body.type === 'view_submission')
      return ack?.({
        response_action: 'update',
        view: loadingModal('Not available', refusalSentence(refusal)),
      });
    await ack?.();
    if (body.response_url && respond)
      await respond({ response_type: 'ephemeral', replace_original: false, text }).catch(() => undefined);
  };
}
