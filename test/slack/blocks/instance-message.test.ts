import type { KnownBlock, SectionBlock } from '@slack/types';
import type { JobInstance, JobNode } from '../../../src/dataarts/model';
import { parseJobInstance } from '../../../src/dataarts/parse';
import { humanDuration } from '../../../src/format';
import { bigInstance, referenceInstance } from '../../../src/simulator/scenarios';
import { renderAlert } from '../../../src/slack/blocks/alert';
import { renderInstanceMessage } from '../../../src/slack/blocks/instance-message';
import { renderNodesModal } from '../../../src/slack/blocks/nodes-modal';
import { renderEndReply } from '../../../src/slack/blocks/notification';
import { decodeButtonValue } from '../../../src/slack/ids';
import { blockLimitProblems, viewLimitProblems } from '../../helpers/block-limits';

const NOW = Date.UTC(2026, 10, 25, 8, 0, 0);
const reference = parseJobInstance(referenceInstance());
const textOf = (blocks: KnownBlock[]) => JSON.stringify(blocks);

function node(
  name: string,
  status: string,
  extra: Partial<Record<string, unknown>> = {},
): Record<string, unknown> {
  return { nodeName: name, status, type: 'DWS SQL', startTime: NOW - 60_000, ...extra };
}

function instance(raw: Record<string, unknown>): JobInstance {
  return parseJobInstance({
    jobName: 'etl',
    instanceId: 7,
    status: 'running',
    planTime: NOW - 120_000,
    startTime: NOW - 90_000,
    nodes: [],
    ...raw,
  });
}

describe('the instance message', () => {
  test('the reference example: header, status, times as date tokens, both nodes, buttons', () => {
    const { text, blocks } = renderInstanceMessage(reference, { now: NOW });
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: ':x: job_batch #34765' } });
    const json = textOf(blocks);
    expect(json).toContain('*Status*\\nFailed');
    expect(json).toContain('*Duration*\\n1 minute');
    expect(json).toContain('<!date^1551425327^{date_short_pretty} at {time_secs}|2019-03-01 07:28:47 UTC>');
    expect(json).toContain('*Dummy_8556* · Dummy');
    expect(json).toContain('*error* · DWS SQL');
    expect(json).toContain(':white_check_mark: 2 succeeded');
    expect(text).toBe('job_batch #34765: failed after 1 minute (2 nodes)');
    const actions = blocks.at(-1) as { elements: { action_id: string; value?: string }[] };
    expect(actions.elements.map((button) => button.action_id)).toEqual([
      'instance_refresh',
      'instance_subscribe',
      'instance_view_nodes',
      'instance_timeline',
    ]);
    expect(decodeButtonValue(actions.elements[0]!.value)).toEqual({ job: 'job_batch', instanceId: '34765' });
    expect(blockLimitProblems(blocks, 'message')).toEqual([]);
  });

  test('failed nodes first with their log path; retries, rows and speed; running shows time so far', () => {
    const { blocks, text } = renderInstanceMessage(
      instance({
        nodes: [
          node('ok', 'success', { endTime: NOW - 30_000, inputRowCount: 1234567, speed: 20576.45 }),
          node('slow', 'running'),
          node('bad', 'fail', {
            endTime: NOW - 10_000,
            retryTimes: 2,
            logPath: 'obs://logs/etl/7 <x>/error.job',
          }),
        ],
      }),
      { now: NOW },
    );
    const nodes = (
      blocks.find(
        (block) => block.type === 'section' && 'text' in block && block.text?.text.includes('*bad*'),
      ) as SectionBlock
    ).text!.text;
    expect(nodes.indexOf('*bad*')).toBeLessThan(nodes.indexOf('*slow*'));
    expect(nodes.indexOf('*slow*')).toBeLessThan(nodes.indexOf('*ok*'));
    expect(nodes).toContain('Failed · 50 seconds · 2 retries');
    expect(nodes).toContain('Log: `obs://logs/etl/7 &lt;x&gt;/error.job`');
    expect(nodes).toContain('Running · 1 minute so far');
    expect(nodes).toContain('1,234,567 rows · 20,576.5 rows/s');
    expect(textOf(blocks)).toContain('*Duration*\\n1 minute 30 seconds so far');
    expect(text).toBe('etl #7: running for 1 minute 30 seconds (1 failed node of 3)');
  });

  test('unknown statuses, forced success, ignored failure, subscribed, console link', () => {
    const { blocks } = renderInstanceMessage(
      instance({
        status: 'frozen',
        forceSuccess: true,
        ignoreSuccess: true,
        nodes: [node('n', 'teleported')],
      }),
      {
        now: NOW,
        subscribed: true,
        workspace: 'w1',
        consoleUrl: 'https://console.example.com/dlf?job={job}&instance={instance}&ws={workspace}',
      },
    );
    const json = textOf(blocks);
    expect(blocks[0]).toMatchObject({ text: { text: ':grey_question: etl #7' } });
    expect(json).toContain('Unknown status \\"frozen\\"');
    expect(json).toContain('Unknown status \\"teleported\\"');
    expect(json).toContain('*Forced success*');
    expect(json).toContain('*Failure ignored*');
    expect(json).toContain('workspace w1');
    const actions = blocks.at(-1) as { elements: { action_id: string; url?: string }[] };
    expect(actions.elements.map((button) => button.action_id)).toContain('instance_unsubscribe');
    expect(actions.elements.at(-1)?.url).toBe('https://console.example.com/dlf?job=etl&instance=7&ws=w1');
  });

  test.each([1000, 5000])(
    '%d nodes stay inside every Slack limit, failed first, with "… and N more"',
    (count) => {
      const big = parseJobInstance(bigInstance('warehouse', '51000', count, NOW));
      const { blocks } = renderInstanceMessage(big, { now: NOW });
      expect(blockLimitProblems(blocks, 'message')).toEqual([]);
      const json = textOf(blocks);
      const shownFailed = (json.match(/:x: \*/g) ?? []).length;
      const totalFailed = big.nodes.filter((n: JobNode) => n.status === 'fail').length;
      expect(shownFailed).toBe(Math.min(20, totalFailed));
      const more = /… and ([\d,]+) more nodes/.exec(json);
      expect(Number(more?.[1]?.replace(/,/g, ''))).toBe(count - 20);
    },
  );

  test('very long names and log paths still fit', () => {
    const long = 'x'.repeat(1000);
    const nodes = Array.from({ length: 60 }, (_, i) =>
      node(`${long}${i}`, 'fail', { logPath: `obs://${long}`, type: long }),
    );
    const { blocks } = renderInstanceMessage(instance({ jobName: 'j'.repeat(200), nodes }), { now: NOW });
    expect(blockLimitProblems(blocks, 'message')).toEqual([]);
  });
});

describe('the nodes modal', () => {
  test('pages of 25 in the message order, with prev/next and limits held', () => {
    const big = parseJobInstance(bigInstance('lake', '55000', 5000, NOW));
    const first = renderNodesModal(big, 0, { now: NOW, workspace: 'w' });
    expect(viewLimitProblems(first)).toEqual([]);
    expect(JSON.stringify(first)).toContain('Page 1 of 200');
    const last = renderNodesModal(big, 999, { now: NOW });
    expect(JSON.stringify(last)).toContain('Page 200 of 200');
    const buttons = (last.blocks.at(-1) as { elements: { action_id: string; value: string }[] }).elements;
    expect(buttons.map((b) => b.action_id)).toEqual(['nodes_page_prev']);
    expect(decodeButtonValue(buttons[0]!.value)).toEqual({ job: 'lake', instanceId: '55000', page: 198 });
    expect(decodeButtonValue(first.private_metadata)).toEqual({
      job: 'lake',
      instanceId: '55000',
      workspace: 'w',
      page: 0,
    });
  });
});

describe('slower than usual', () => {
  const slowness = { medianMs: 10 * 60_000, runs: 10, durationMs: 27 * 60_000, factor: 2.7 };

  test('the instance message says it under its fields (so far, while running)', () => {
    const ended = renderInstanceMessage(reference, { now: NOW, slowness });
    expect(textOf(ended.blocks)).toContain(
      ':snail: *Slower than usual*: 27 minutes, 2.7× its usual 10 minutes (the median of its last 10 ended runs).',
    );
    const running = renderInstanceMessage(instance({}), { now: NOW, slowness });
    expect(textOf(running.blocks)).toContain('27 minutes so far, 2.7×');
    expect(textOf(renderInstanceMessage(reference, { now: NOW }).blocks)).not.toContain('Slower than usual');
  });

  test('the end reply says it under its headline', () => {
    const reply = renderEndReply(reference, 'U0ALICE', NOW, false, slowness);
    expect(reply.blocks[1]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: ':snail: *Slower than usual*: 27 minutes, 2.7× its usual 10 minutes (the median of its last 10 ended runs).',
        },
      ],
    });
    expect(textOf(renderEndReply(reference, 'U0ALICE', NOW).blocks)).not.toContain('Slower than usual');
  });
});

test('a watch alert carries the Timeline button too (its picture goes into the alert’s thread)', () => {
  const alert = renderAlert(reference, { now: NOW, watch: { pattern: 'job_*', mode: 'fail' } });
  const actions = alert.blocks.at(-1) as { elements: { action_id: string }[] };
  expect(actions.elements.map((button) => button.action_id)).toContain('instance_timeline');
});

describe('times DataArts sent that make no sense', () => {
  const DAY = 86_400_000;

  test('a planTime of 1e20: "unknown" where it would be, one line saying why, the rest as usual', () => {
    const odd = parseJobInstance(
      {
        jobName: 'etl',
        instanceId: 7,
        status: 'success',
        planTime: 1e20,
        startTime: NOW - 90_000,
        endTime: NOW,
      },
      { now: NOW },
    );
    const { blocks, text } = renderInstanceMessage(odd, { now: NOW });
    const json = textOf(blocks);
    expect(json).toContain('*Planned*\\nunknown');
    expect(json).toContain('*Duration*\\n1 minute 30 seconds');
    expect(json.match(/DataArts sent a time that makes no sense; it is shown as unknown\./g)).toHaveLength(1);
    expect(text).toBe('etl #7: succeeded after 1 minute 30 seconds (0 nodes)');
  });

  test('an end in microseconds: the end and the duration are unknown, never "so far"', () => {
    const odd = instance({
      status: 'success',
      endTime: NOW * 1000,
      nodes: [node('load', 'success', { endTime: NOW * 1000 })],
    });
    const json = textOf(renderInstanceMessage(odd, { now: NOW }).blocks);
    expect(json).toContain('*Ended*\\nunknown');
    expect(json).toContain('*Duration*\\nunknown');
    expect(json).toContain('Succeeded · time unknown');
    expect(json).not.toContain('so far');
    expect(json.match(/makes no sense/g)).toHaveLength(1);
    const modal = JSON.stringify(renderNodesModal(odd, 0, { now: NOW }).blocks);
    expect(modal.match(/makes no sense/g)).toHaveLength(1);
    const reply = textOf(renderEndReply(odd, 'U0ALICE', NOW).blocks);
    expect(reply).toContain('*etl #7* succeeded.');
    expect(reply.match(/makes no sense/g)).toHaveLength(1);
  });

  test('durations count months and years: 35 days is 1 month 4 days, not 4 days', () => {
    expect(humanDuration(35 * DAY)).toBe('1 month 4 days');
    expect(humanDuration(400 * DAY + 3_600_000)).toBe('1 year 1 month 4 days 1 hour');
    expect(humanDuration(2 * DAY + 5_000)).toBe('2 days 5 seconds');
    for (const nonsense of [Number.NaN, Number.POSITIVE_INFINITY, -5, 1e20])
      expect(humanDuration(nonsense)).toBe('unknown');
    // A run still going after 35 days (a hung instance) says so in full.
    const hung = instance({ planTime: NOW - 35 * DAY, startTime: NOW - 35 * DAY });
    expect(textOf(renderInstanceMessage(hung, { now: NOW }).blocks)).toContain(
      '*Duration*\\n1 month 4 days so far',
    );
  });
});
