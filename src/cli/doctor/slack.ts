/**
 * The Slack side of the doctor: the token (auth.test: valid, which team and bot), its scopes against manifest.yml
 * (files:write, the Timeline pictures, on a line of its own), and every channel that holds a watch or a digest:
 * that the bot is a member (conversations.info → channel.is_member), since it posts there.
 */
import { type Check, fail, listText, ok, type Report, skip } from './check';
import { BOT_SCOPES, TIMELINE_SCOPE } from './scopes';
import type { SlackTarget } from './settings';
import { type SlackAnswer, type SlackApi, SlackUnreachable } from './slack-client';
import type { ChannelHolding } from './store';

/** The channels to look at, or the line that says why they cannot be. */
export type ChannelSource = { holdings: ChannelHolding[] } | { instead: Check };

export interface SlackSide {
  target: SlackTarget;
  api: SlackApi;
  channels: ChannelSource;
}

export const SLACK_NAMES = {
  token: 'Slack token',
  scopes: 'Slack scopes',
  timelines: `Slack timelines (${TIMELINE_SCOPE})`,
  channels: 'Channels with watches and digests',
  channel: (id: string) => `Channel ${id}`,
};

const REINSTALL =
  "Add them under the app's OAuth & Permissions → Bot Token Scopes (manifest.yml lists every one), then reinstall the app to the workspace: a token gets new scopes only when the app is reinstalled.";

export async function checkSlack(side: SlackSide, report: Report): Promise<{ clockOffsetMs?: number }> {
  const where = side.target.apiUrl ?? "Slack's Web API";
  let auth: SlackAnswer;
  try {
    auth = await side.api.call('auth.test');
  } catch (error) {
    if (!(error instanceof SlackUnreachable)) throw error;
    report(
      fail(
        SLACK_NAMES.token,
        `${where} could not be reached: ${error.message}`,
        'Check SLACK_API_URL (unset: Slack itself), the network, and any proxy between this machine and Slack.',
      ),
    );
    skipRest(report, 'Slack did not answer.');
    return {};
  }
  const clockOffsetMs = auth.clockOffsetMs;
  if (!auth.ok) {
    report(tokenRefused(auth.error ?? 'unknown_error'));
    skipRest(report, 'Slack refused the token.');
    return { clockOffsetMs };
  }
  const bot = String(auth.body.user ?? 'the bot');
  report(
    ok(
      SLACK_NAMES.token,
      `valid: bot @${bot} (${String(auth.body.user_id ?? '?')}) in team ${String(auth.body.team ?? '?')} (${String(auth.body.team_id ?? '?')})`,
    ),
  );

  const granted = auth.scopes;
  if (!granted) {
    const why = "Slack did not list the token's scopes (no x-oauth-scopes header on its answer).";
    report(skip(SLACK_NAMES.scopes, why));
    report(skip(SLACK_NAMES.timelines, why));
  } else {
    report(scopesCheck(granted));
    report(
      granted.includes(TIMELINE_SCOPE)
        ? ok(
            SLACK_NAMES.timelines,
            `${TIMELINE_SCOPE} granted: the Timeline button and the digest can upload pictures`,
          )
        : fail(
            SLACK_NAMES.timelines,
            `The token lacks ${TIMELINE_SCOPE}: the Timeline button cannot upload the run's picture (people get a sentence instead), nor the digest its chart.`,
            `Add ${TIMELINE_SCOPE} under the app's OAuth & Permissions → Bot Token Scopes, then reinstall the app to the workspace.`,
          ),
    );
  }

  if ('instead' in side.channels) report(side.channels.instead);
  else if (side.channels.holdings.length === 0)
    report(ok(SLACK_NAMES.channels, 'none yet: no channel holds a watch or a digest'));
  else for (const holding of side.channels.holdings) report(await channelCheck(side.api, holding, bot));
  return { clockOffsetMs };
}

function skipRest(report: Report, why: string): void {
  for (const name of [SLACK_NAMES.scopes, SLACK_NAMES.timelines, SLACK_NAMES.channels])
    report(skip(name, why));
}

function tokenRefused(error: string): Check {
  const fixes: Record<string, string> = {
    invalid_auth:
      "Copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page into SLACK_BOT_TOKEN.",
    not_authed: 'Set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…).',
    token_revoked:
      'The token was revoked (the app uninstalled?): reinstall the app to the workspace and set SLACK_BOT_TOKEN to its new token.',
    token_expired:
      'The token expired (token rotation is on): turn rotation off in the app settings, as manifest.yml does, reinstall and set the new token.',
    account_inactive:
      'The bot user or workspace is deactivated: reinstall the app to an active workspace and set the new token.',
  };
  return fail(
    SLACK_NAMES.token,
    `Slack refused SLACK_BOT_TOKEN (${error}).`,
    fixes[error] ?? `Check SLACK_BOT_TOKEN: Slack answered auth.test with ${error}.`,
  );
}

function scopesCheck(granted: readonly string[]): Check {
  const needed = BOT_SCOPES.filter(({ scope }) => scope !== TIMELINE_SCOPE);
  const missing = needed.filter(({ scope }) => !granted.includes(scope));
  const extra = granted.filter((scope) => !BOT_SCOPES.some((known) => known.scope === scope));
  if (missing.length > 0)
    return fail(
      SLACK_NAMES.scopes,
      `The token lacks ${listText(missing.map(({ scope, for: what }) => `${scope} (${what})`))}.`,
      REINSTALL,
    );
  return ok(
    SLACK_NAMES.scopes,
    `every bot scope of manifest.yml (${needed.map(({ scope }) => scope).join(', ')}; ${TIMELINE_SCOPE} below)${
      extra.length > 0 ? `, and also ${extra.join(', ')}` : ''
    }`,
  );
}

function holdingText(holding: ChannelHolding): string {
  const parts = [
    holding.watches > 0 ? `${holding.watches} ${holding.watches === 1 ? 'watch' : 'watches'}` : undefined,
    holding.digest ? 'a digest' : undefined,
  ].filter((part): part is string => part !== undefined);
  return listText(parts);
}

async function channelCheck(api: SlackApi, holding: ChannelHolding, bot: string): Promise<Check> {
  const name = SLACK_NAMES.channel(holding.channel);
  const holds = holdingText(holding);
  let answer: SlackAnswer;
  try {
    answer = await api.call('conversations.info', { channel: holding.channel });
  } catch (error) {
    if (!(error instanceof SlackUnreachable)) throw error;
    return fail(name, `conversations.info got no answer: ${error.message}`, 'Run doctor again.');
  }
  if (!answer.ok) {
    if (answer.error === 'channel_not_found')
      return fail(
        name,
        `Slack shows the bot no channel ${holding.channel}, which holds ${holds}: a private channel the bot is not in, or one that was deleted.`,
        `If it is a private channel, invite @${bot} there (/invite @${bot}); if it was deleted, nothing is posted anywhere and nothing needs doing.`,
      );
    if (answer.error === 'missing_scope')
      return skip(
        name,
        `holds ${holds}; not checked: conversations.info needs ${String(answer.body.needed ?? 'a scope')}, which the token lacks (see Slack scopes).`,
      );
    return fail(
      name,
      `conversations.info answered ${answer.error}.`,
      'Run doctor again; if it lasts, check the Slack app.',
    );
  }
  const channel = (answer.body.channel ?? {}) as {
    name?: string;
    is_member?: boolean;
    is_archived?: boolean;
  };
  const shown = channel.name ? `#${channel.name}` : holding.channel;
  const posts =
    holding.watches > 0 && holding.digest
      ? 'its alerts and digest'
      : holding.watches > 0
        ? 'its alerts'
        : 'its digest';
  if (channel.is_archived)
    return fail(
      name,
      `${shown} holds ${holds} but is archived: ${posts} cannot be posted.`,
      `Unarchive ${shown} if ${posts} are still wanted; otherwise nothing needs doing.`,
    );
  if (!channel.is_member)
    return fail(
      name,
      `${shown} holds ${holds}, but the bot is not a member: ${posts} cannot be posted there.`,
      `Invite @${bot} to ${shown} (type /invite @${bot} in ${shown}).`,
    );
  return ok(name, `${shown} holds ${holds}; the bot is a member`);
}
