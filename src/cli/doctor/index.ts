/**
 * `dlf-instance doctor`: checks a live setup end to end, as an operator installing the bot needs it: the settings
 * (all of the bot's, by its own loader), DataArts (endpoint, credentials, project, each workspace, its instance
 * list, reading an instance, whether stop and rerun would be allowed), the bot's Redis, Slack (token, scopes,
 * the channels that hold watches and digests) and the clocks. Each check is one line: ok, skipped with why, or
 * what is wrong and what to do. Modules: settings.ts, dataarts.ts, redis.ts + store.ts, slack.ts +
 * slack-client.ts, clock.ts; report.ts formats. Every dependency that does I/O can be injected.
 */
import type { Env } from '../../config-error';
import type { DataArtsApi } from '../../dataarts/api';
import { createDataArtsClient, type DataArtsSettings } from '../../dataarts/config';
import { createTransport, type Transport } from '../../dataarts/transport';
import type { RedisSettings } from '../../redis/connection';
import { type Check, fail, type Report, skip } from './check';
import { clockCheck } from './clock';
import { checkDataArts } from './dataarts';
import { checkLogs, checkNotifications, LOGS } from './logs';
import { checkRedis, REDIS } from './redis';
import { readSettings, type SlackTarget } from './settings';
import { type ChannelSource, checkSlack, SLACK_NAMES } from './slack';
import { createSlackApi, type SlackApi } from './slack-client';
import { type BotStore, openBotStore } from './store';

export type { Check, CheckStatus } from './check';

export interface DoctorDeps {
  env: Env;
  /** This machine's clock (the default clients read Date.now too). */
  now?: () => number;
  transport?: Transport;
  /** The DataArts client (default: the bot's, one attempt per call). */
  dataarts?: (settings: DataArtsSettings, transport: Transport) => DataArtsApi;
  slack?: (target: SlackTarget) => SlackApi;
  store?: (settings: RedisSettings) => BotStore;
}

/** Runs every check in order, telling `report` each as it is made; returns them all. */
export async function runDoctor(deps: DoctorDeps, report: Report = () => undefined): Promise<Check[]> {
  const checks: Check[] = [];
  const emit: Report = (check) => {
    checks.push(check);
    report(check);
  };
  const now = deps.now ?? Date.now;
  const settings = readSettings(deps.env);
  emit(settings.check);

  let dataartsOffset: number | undefined;
  if ('problem' in settings.dataarts) emit(skip('DataArts', `${settings.dataarts.problem}.`));
  else {
    const transport = deps.transport ?? createTransport();
    const client =
      deps.dataarts?.(settings.dataarts, transport) ??
      createDataArtsClient({ ...settings.dataarts, maxAttempts: 1 }, { transport });
    const outcome = await checkDataArts(
      {
        settings: settings.dataarts,
        workspaces: settings.workspaces,
        operators: settings.operators,
        transport,
        client,
      },
      emit,
    );
    if (outcome.answered) {
      dataartsOffset = client.now() - now();
      emit(await checkLogs({ logs: settings.logs, dataarts: settings.dataarts, client }));
    } else emit(skip(LOGS, 'DataArts did not answer, so no failed node was found to read a log of.'));
  }
  emit(checkNotifications(settings.notify, settings.sweepSeconds));

  let store: BotStore | undefined;
  try {
    let channels: ChannelSource;
    if (settings.redis === undefined)
      channels = {
        instead: skip(
          SLACK_NAMES.channels,
          "no Redis settings: watches and digests live in the running bot's memory, so there is nothing to check here.",
        ),
      };
    else if ('problem' in settings.redis) {
      emit(skip(REDIS, `${settings.redis.problem}.`));
      channels = { instead: skip(SLACK_NAMES.channels, 'the Redis settings are not usable.') };
    } else {
      store = deps.store?.(settings.redis) ?? openBotStore(settings.redis);
      const redis = await checkRedis(store, settings.redis);
      emit(redis.check);
      channels = redis.answered
        ? await readChannels(store)
        : { instead: skip(SLACK_NAMES.channels, 'Redis did not answer.') };
    }

    let slackOffset: number | undefined;
    if ('problem' in settings.slack)
      emit(
        skip(
          'Slack',
          settings.slack.problem === 'SLACK_BOT_TOKEN is not set'
            ? 'SLACK_BOT_TOKEN is not set, so there is nothing of Slack to check (the command-line tool needs only DataArts; the bot needs Slack).'
            : `${settings.slack.problem}.`,
        ),
      );
    else {
      const api = deps.slack?.(settings.slack) ?? createSlackApi(settings.slack, now);
      slackOffset = (await checkSlack({ target: settings.slack, api, channels }, emit)).clockOffsetMs;
    }

    emit(clockCheck({ dataarts: dataartsOffset, slack: slackOffset }));
  } finally {
    store?.close();
  }
  return checks;
}

async function readChannels(store: BotStore): Promise<ChannelSource> {
  try {
    return { holdings: await store.holdings() };
  } catch (error) {
    return {
      instead: fail(
        SLACK_NAMES.channels,
        `Redis answered, but the watches and digests in it could not be read: ${(error as Error).message}`,
        'Check that the Redis user may run the commands the bot needs (README, "Which Redis").',
      ),
    };
  }
}
