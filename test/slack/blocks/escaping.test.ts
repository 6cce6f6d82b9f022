/**
 * Property: whatever DataArts or a person sends (job and node names, types, statuses, log paths, workspace ids,
 * error texts, typed commands), no renderer lets it become live Slack markup (a mention, a channel ping, a link) in
 * any field Slack parses: the message text, mrkdwn and plain_text objects, modal titles, the Home tab.
 */
import fc from 'fast-check';
import {
  ApiError,
  InstanceNotFoundError,
  InvalidReferenceError,
  JobNotFoundError,
  PermissionDeniedError,
  UnavailableError,
  UnreadableAnswerError,
} from '../../../src/dataarts/errors';
import { NoInstancesError } from '../../../src/dataarts/lookup';
import type { JobInstance, JobNode } from '../../../src/dataarts/model';
import { parseInstanceStatus, parseNodeStatus } from '../../../src/dataarts/parse';
import type { Subscription } from '../../../src/following/model';
import { renderAgain, renderAlert, renderAlerts, renderRecovered } from '../../../src/slack/blocks/alert';
import { renderDigest } from '../../../src/slack/blocks/digest';
import { errorSentence, notInChannelSentence } from '../../../src/slack/blocks/errors';
import { renderHome } from '../../../src/slack/blocks/home';
import { fallbackText, renderInstanceMessage } from '../../../src/slack/blocks/instance-message';
import { renderLookupModal } from '../../../src/slack/blocks/lookup-modal';
import { escapeText, md } from '../../../src/slack/blocks/markup';
import { renderNodesModal } from '../../../src/slack/blocks/nodes-modal';
import { renderEndReply, renderGoneReply, renderRetiredReply } from '../../../src/slack/blocks/notification';
import {
  alreadySentence,
  dataArtsRefusedSentence,
  doneSentence,
  notApplicableSentence,
  operationNote,
  refusalSentence,
  renderConfirmation,
} from '../../../src/slack/blocks/operations';
import { slownessLine } from '../../../src/slack/blocks/slowness';
import { renderSubscriptionList } from '../../../src/slack/blocks/subscription-list';
import { renderWatchRemoved, renderWatchSet } from '../../../src/slack/blocks/watches';
import { parseCommand } from '../../../src/slack/command/grammar';
import { usageMessage } from '../../../src/slack/command/usage';
import { timelineComment } from '../../../src/slack/look-ups/timeline';
import { blockLimitProblems } from '../../helpers/block-limits';

const NOW = Date.UTC(2026, 11, 1, 8, 0, 0);

/** The bot's own markup: date tokens, mentions of ids, channel references, group mentions, links it made. */
const OWN_TOKENS = [
  /<!date\^\d+\^[^|<>]*\|[^<>]*>/g,
  /<@[A-Z][A-Z0-9]{1,30}>/g,
  /<#[A-Z][A-Z0-9]{1,30}>/g,
  /<!subteam\^[A-Z][A-Z0-9]{1,30}>/g,
  /<https?:\/\/[^\s<>|]+\|[^<>]*>/g,
];

/** Every string Slack parses as text in a message, view or answer: `text` fields, at any depth. */
function parsedTexts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) parsedTexts(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, field] of Object.entries(value)) {
      if (key === 'text' && typeof field === 'string') out.push(field);
      else parsedTexts(field, out);
    }
  }
  return out;
}

/** What is left of markup once the bot's own tokens are taken out: nothing may remain. */
function liveMarkup(rendered: unknown): string[] {
  return parsedTexts(rendered).flatMap((text) => {
    const rest = OWN_TOKENS.reduce((left, token) => left.replace(token, ''), text);
    return /[<>]/.test(rest) ? [text] : [];
  });
}

/** Strings as hostile as they come: markup, entities, control characters, any Unicode, and plain ones. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '<!here> see <http://x.example|this>',
    '<!channel>',
    '<@U0ALICE>',
    '<#C0GENERAL>',
    '<!subteam^S123>',
    '&lt;!here&gt;',
    '`<!everyone>`',
    '>quote',
    '..',
    '\r\nInjected: header',
  ),
  fc
    .array(fc.constantFrom('<', '>', '&', '|', '!', '@', '#', '^', '`', '*', 'a', ' '), { maxLength: 30 })
    .map((chars) => chars.join('')),
);

const node = fc.record({
  name: hostile,
  type: hostile,
  status: hostile,
  logPath: hostile,
  retries: fc.nat(5),
});

const instanceArb = fc.record({
  jobName: hostile,
  status: hostile,
  nodes: fc.array(node, { maxLength: 8 }),
});

type RawInstance = typeof instanceArb extends fc.Arbitrary<infer T> ? T : never;

function instanceOf(raw: RawInstance): JobInstance {
  const nodes: JobNode[] = raw.nodes.map((n, index) => ({
    name: n.name,
    type: n.type,
    status: parseNodeStatus(index % 2 === 0 ? n.status : 'fail'),
    startTime: NOW - 60_000,
    ...(index % 3 === 0 ? {} : { endTime: NOW - 1_000 }),
    retryTimes: n.retries,
    logPath: n.logPath,
  }));
  return {
    jobName: raw.jobName,
    instanceId: '34765',
    status: parseInstanceStatus(raw.status),
    planTime: NOW - 120_000,
    startTime: NOW - 90_000,
    endTime: NOW - 1_000,
    total: nodes.length + 1,
    nodes,
    forceSuccess: false,
    ignoreSuccess: true,
  };
}

const RUNS = { numRuns: 300 };

describe('no renderer lets data become live markup', () => {
  test('the instance message (blocks and notification text) and the nodes modal', () => {
    fc.assert(
      fc.property(instanceArb, hostile, fc.boolean(), (raw, workspace, subscribed) => {
        const instance = instanceOf(raw);
        const message = renderInstanceMessage(instance, {
          now: NOW,
          workspace,
          subscribed,
          operable: true,
          consoleUrl: 'https://console.example.com/?job={job}&instance={instance}&workspace={workspace}',
        });
        expect(liveMarkup(message)).toEqual([]);
        expect(liveMarkup({ text: fallbackText(instance, NOW) })).toEqual([]);
        expect(liveMarkup(renderNodesModal(instance, 0, { now: NOW, workspace }))).toEqual([]);
      }),
      RUNS,
    );
  });

  test('the timeline comment and the slower-than-usual lines (message, end reply)', () => {
    const slowness = { medianMs: 60_000, runs: 10, durationMs: 150_000, factor: 2.5 };
    fc.assert(
      fc.property(instanceArb, hostile, (raw, zone) => {
        const instance = instanceOf(raw);
        expect(liveMarkup({ text: timelineComment(instance, zone, slownessLine(slowness, false)) })).toEqual(
          [],
        );
        expect(liveMarkup(renderInstanceMessage(instance, { now: NOW, slowness }))).toEqual([]);
        expect(liveMarkup(renderEndReply(instance, 'U0ALICE', NOW, true, slowness))).toEqual([]);
      }),
      RUNS,
    );
  });

  test('the digest, whatever the job names, patterns and zone', () => {
    const digestArb = fc.record({
      job: hostile,
      workspace: hostile,
      succeeded: fc.nat(50),
      failed: fc.nat(50),
      stopped: fc.nat(5),
      running: fc.nat(5),
      streak: fc.nat(5),
      streakAtLeast: fc.boolean(),
      slowest: fc.record({
        instanceId: hostile,
        durationMs: fc.nat(10_000_000),
        usual: fc.record({ medianMs: fc.nat(1_000_000), runs: fc.nat(10) }),
      }),
    });
    fc.assert(
      fc.property(
        fc.array(digestArb, { maxLength: 30 }),
        fc.array(hostile, { maxLength: 12 }),
        hostile,
        fc.option(hostile, { nil: undefined }),
        (jobs, patterns, zone, daily) => {
          const rendered = renderDigest(jobs, { now: NOW, patterns, timeZone: zone, daily });
          expect(liveMarkup(rendered)).toEqual([]);
          expect(blockLimitProblems(rendered.blocks, 'message')).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  test('App Home’s watched jobs with their success rates', () => {
    const trend = fc.record({
      job: hostile,
      workspace: hostile,
      rates: fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }), { maxLength: 7 }),
      succeeded: fc.nat(100),
      ended: fc.nat(100),
      imageUrl: fc.option(fc.constant('https://bot.example.com/pictures/sparkline/x.y.png'), {
        nil: undefined,
      }),
    });
    fc.assert(
      fc.property(fc.array(trend, { maxLength: 12 }), (trends) => {
        expect(liveMarkup(renderHome([], [], trends))).toEqual([]);
      }),
      RUNS,
    );
  });

  test('thread replies: the end, the retirement, the disappearance', () => {
    fc.assert(
      fc.property(instanceArb, hostile, hostile, (raw, subscriber, status) => {
        const instance = instanceOf(raw);
        expect(liveMarkup(renderEndReply(instance, subscriber, NOW, true))).toEqual([]);
        expect(liveMarkup(renderRetiredReply(raw.jobName, '1', status, subscriber, 3_600_000))).toEqual([]);
        expect(liveMarkup(renderGoneReply(raw.jobName, '1', subscriber))).toEqual([]);
      }),
      RUNS,
    );
  });

  test('Stop and Rerun with their confirm dialogs, a Rerun on a failure reply', () => {
    const status = fc.constantFrom('waiting', 'running', 'fail', 'success', 'manual-stop');
    fc.assert(
      fc.property(instanceArb, status, hostile, (raw, known, workspace) => {
        const instance = { ...instanceOf(raw), status: parseInstanceStatus(known) };
        const message = renderInstanceMessage(instance, { now: NOW, workspace, operable: true });
        expect(JSON.stringify(message.blocks)).toMatch(/instance_(stop|rerun)/);
        expect(liveMarkup(message)).toEqual([]);
        expect(liveMarkup(renderEndReply(instance, 'U0ALICE', NOW, true))).toEqual([]);
      }),
      RUNS,
    );
  });

  test('what the writes say: confirmations, refusals, notes, outcomes', () => {
    const params = fc.array(fc.record({ name: hostile, value: hostile }), { maxLength: 3 });
    const operation = fc.constantFrom('stop' as const, 'rerun' as const, 'run' as const);
    fc.assert(
      fc.property(operation, hostile, hostile, params, hostile, (op, job, text, given, user) => {
        const request = { operation: op, job, instanceId: '34765', workspace: text, params: given };
        expect(liveMarkup(renderConfirmation(request, 'token'))).toEqual([]);
        const entries = [
          { pattern: text, users: [user], groups: ['S0ONCALL'] },
          { pattern: '*', users: ['U0LEAD'], groups: [] },
        ];
        for (const who of [[], entries.slice(0, 1), entries])
          for (const reason of ['nobody', 'not-operator', 'external'] as const)
            for (const configured of [true, false])
              expect(
                liveMarkup({
                  text: refusalSentence({ allowed: false, reason, who }, op, job, configured).text,
                }),
              ).toEqual([]);
        expect(liveMarkup({ text: operationNote(op, user, given).text })).toEqual([]);
        expect(liveMarkup({ text: doneSentence(op, job, '1').text })).toEqual([]);
        expect(liveMarkup({ text: alreadySentence(op, user).text })).toEqual([]);
        expect(liveMarkup({ text: notApplicableSentence('stop', job, '1', text).text })).toEqual([]);
        expect(liveMarkup({ text: dataArtsRefusedSentence(op, job, '1', md`${text}`).text })).toEqual([]);
      }),
      RUNS,
    );
  });

  test('lists and the Home tab', () => {
    const entry = fc.record({
      job: hostile,
      channel: hostile,
      user: hostile,
      permalink: hostile,
      status: hostile,
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), (entries) => {
        const list = entries.map((e) => ({
          subscription: {
            job: e.job,
            instanceId: '1',
            channel: e.channel,
            ts: '1.000001',
            user: e.user,
            createdAt: NOW,
            permalink: `https://standin.slack.com/archives/${e.permalink}`,
          } satisfies Subscription,
          state: { status: e.status },
        }));
        expect(
          liveMarkup(renderSubscriptionList(list, { title: 'Followed', empty: md`none`, showChannel: true })),
        ).toEqual([]);
        expect(liveMarkup(renderHome(list))).toEqual([]);
      }),
      RUNS,
    );
  });

  test('error sentences, whatever DataArts said', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (text, codeText, name) => {
        const errors = [
          new ApiError(text, { code: codeText, httpStatus: 400 }),
          new InstanceNotFoundError(name, text),
          new JobNotFoundError(name),
          new PermissionDeniedError({ message: text }),
          new UnavailableError('network', { message: text }),
          new UnreadableAnswerError(text),
          new InvalidReferenceError('workspace', text),
          new NoInstancesError(name),
          new Error(text),
        ];
        for (const error of errors) expect(liveMarkup({ text: errorSentence(error).text })).toEqual([]);
        expect(liveMarkup({ text: notInChannelSentence(name).text })).toEqual([]);
      }),
      RUNS,
    );
  });

  test('whatever a person types, the usage answer quotes it harmlessly', () => {
    fc.assert(
      fc.property(hostile, hostile, (first, second) => {
        for (const typed of [
          first,
          `${first} ${second}`,
          `subscribe ${first} ${second}`,
          `stop ${first} ${second}`,
          `run ${first} ${second}`,
          `run job ${first}=${second}`,
          `x --workspace ${first}`,
        ]) {
          const command = parseCommand(typed);
          if (command.kind === 'invalid') expect(liveMarkup(usageMessage(command.reason))).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  test('watch alerts (single, grouped, a rerun, a recovery) and watch notes', () => {
    const watchArb = fc.record({ pattern: hostile, channel: hostile, user: hostile, workspace: hostile });
    fc.assert(
      fc.property(instanceArb, watchArb, (raw, w) => {
        const instance = instanceOf(raw);
        const summary = { pattern: w.pattern, mode: 'fail' as const };
        const line = {
          job: raw.jobName,
          instanceId: '7',
          workspace: w.workspace,
          status: raw.status,
          startTime: NOW - 5_000,
          endTime: NOW,
          failed: raw.nodes.map((n) => ({ name: n.name, logPath: n.logPath })),
        };
        expect(
          liveMarkup(renderAlert(instance, { now: NOW, workspace: w.workspace, watch: summary })),
        ).toEqual([]);
        expect(liveMarkup(renderAlerts([line, line], 3, [summary], NOW))).toEqual([]);
        expect(liveMarkup(renderAgain(instance, NOW))).toEqual([]);
        expect(liveMarkup(renderRecovered(line, '6', NOW))).toEqual([]);
        const watch = {
          id: 'x',
          channel: w.channel,
          workspace: w.workspace,
          pattern: w.pattern,
          mode: 'end' as const,
          user: w.user,
          createdAt: NOW,
        };
        expect(liveMarkup(renderWatchSet(watch, 'added'))).toEqual([]);
        expect(liveMarkup(renderWatchRemoved(watch, w.user))).toEqual([]);
        expect(liveMarkup(renderHome([], [watch]))).toEqual([]);
      }),
      RUNS,
    );
  });

  test('the lookup modal prefilled from a message', () => {
    fc.assert(
      fc.property(hostile, hostile, (job, workspace) => {
        const modal = renderLookupModal({ job, workspace }, md`I found ${job}.`);
        expect(liveMarkup(modal)).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('escapeText', () => {
  test('the three control characters and nothing else', () => {
    expect(escapeText('a & b < c > d "e" \'f\'')).toBe('a &amp; b &lt; c &gt; d "e" \'f\'');
  });

  test('an end reply names the node as typed, not as a ping', () => {
    const instance = instanceOf({
      jobName: 'job',
      status: 'fail',
      nodes: [
        {
          name: '<!here> see <http://x.example|this>',
          type: 'DWS SQL',
          status: 'fail',
          logPath: 'obs://l',
          retries: 0,
        },
      ],
    });
    const reply = renderEndReply(instance, 'U0ALICE', NOW);
    expect(reply.text).toContain('&lt;!here&gt; see &lt;http://x.example|this&gt;');
    expect(reply.text).not.toContain('<!here>');
  });
});
