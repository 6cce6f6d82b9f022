/** The writes' buttons and words: where Stop and Rerun appear, their confirm dialogs, the confirmation, who may. */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { parseJobInstance } from '../../../src/dataarts/parse';
import { renderInstanceMessage } from '../../../src/slack/blocks/instance-message';
import { renderEndReply } from '../../../src/slack/blocks/notification';
import { refusalSentence, renderConfirmation } from '../../../src/slack/blocks/operations';
import { blockLimitProblems } from '../../helpers/block-limits';

const NOW = Date.UTC(2026, 10, 25, 8, 0, 0);

function instance(status: string, jobName = 'orders_daily') {
  const ended = ['success', 'fail', 'manual-stop'].includes(status);
  return parseJobInstance({
    jobName,
    instanceId: 7,
    status,
    planTime: NOW - 120_000,
    startTime: NOW - 90_000,
    ...(ended ? { endTime: NOW - 1_000 } : {}),
    nodes: [
      { nodeName: 'load', status: ended ? status : 'running', type: 'HiveSQL', startTime: NOW - 90_000 },
    ],
  });
}

function buttons(blocks: KnownBlock[]): Button[] {
  return blocks.filter((b): b is ActionsBlock => b.type === 'actions').flatMap((b) => b.elements as Button[]);
}

const ids = (blocks: KnownBlock[]) => buttons(blocks).map((b) => b.action_id ?? '');

describe('Stop and Rerun on the instance message', () => {
  test.each([
    ['waiting', 'instance_stop'],
    ['running', 'instance_stop'],
    ['success', 'instance_rerun'],
    ['fail', 'instance_rerun'],
    ['manual-stop', 'instance_rerun'],
  ])('%s: %s, with a confirm dialog naming the job and the instance', (status, action) => {
    const { blocks } = renderInstanceMessage(instance(status), { now: NOW, operable: true });
    const button = buttons(blocks).find((b) => b.action_id === action)!;
    expect(ids(blocks).filter((id) => /stop|rerun/.test(id))).toEqual([action]);
    expect(button.confirm?.text.text).toContain('*orders_daily* #7');
    expect(button.confirm?.deny?.text).toBe('Cancel');
    expect(blockLimitProblems(blocks, 'message')).toEqual([]);
  });

  test('paused or running with an exception: neither', () => {
    for (const status of ['pause', 'running-exception']) {
      const { blocks } = renderInstanceMessage(instance(status), { now: NOW, operable: true });
      expect(ids(blocks).filter((id) => /stop|rerun/.test(id))).toEqual([]);
    }
  });

  test('hidden when DLF_OPERATORS is not set', () => {
    const { blocks } = renderInstanceMessage(instance('running'), { now: NOW });
    expect(ids(blocks)).not.toContain('instance_stop');
  });

  test('a very long job name still fits the confirm dialog', () => {
    const { blocks } = renderInstanceMessage(instance('running', `${'&'.repeat(100)}x`), {
      now: NOW,
      operable: true,
    });
    expect(blockLimitProblems(blocks, 'message')).toEqual([]);
  });
});

test('a failure reply carries Rerun (when operable); a success reply does not', () => {
  expect(ids(renderEndReply(instance('fail'), 'U0ALICE', NOW, true).blocks)).toEqual(['instance_rerun']);
  expect(ids(renderEndReply(instance('fail'), 'U0ALICE', NOW).blocks)).toEqual([]);
  expect(ids(renderEndReply(instance('success'), 'U0ALICE', NOW, true).blocks)).toEqual([]);
});

test('the confirmation says what will happen, with the action and Cancel, inside the limits however many parameters', () => {
  const params = Array.from({ length: 50 }, (_, i) => ({ name: `p${i}`, value: 'v'.repeat(1_024) }));
  const { blocks, text } = renderConfirmation(
    { operation: 'run', job: 'orders_daily', params },
    'a'.repeat(32),
  );
  expect(text).toMatch(
    /^:arrow_forward: This will start a new instance of \*orders_daily\* in DataArts now with `p0=v/,
  );
  expect(ids(blocks)).toEqual(['operation_confirm', 'operation_cancel']);
  expect(blockLimitProblems(blocks, 'message')).toEqual([]);
});

describe('who may, in the refusal', () => {
  const group = { pattern: 'orders_*', users: [], groups: ['S0DATAONCALL'] };
  const lead = { pattern: '*', users: ['U0LEAD', 'U0SECOND'], groups: [] };
  test('one entry: its pattern', () => {
    expect(
      refusalSentence({ allowed: false, reason: 'not-operator', who: [group] }, 'stop', 'orders_daily', true)
        .text,
    ).toBe(':no_entry: Only <!subteam^S0DATAONCALL> may stop `orders_*` instances.');
    expect(
      refusalSentence({ allowed: false, reason: 'not-operator', who: [lead] }, 'run', 'x', true).text,
    ).toBe(':no_entry: Only <@U0LEAD> or <@U0SECOND> may run jobs.');
  });
  test('several entries: each with what it covers', () => {
    expect(
      refusalSentence(
        { allowed: false, reason: 'not-operator', who: [group, lead] },
        'rerun',
        'orders_daily',
        true,
      ).text,
    ).toBe(
      ':no_entry: Only <!subteam^S0DATAONCALL> (`orders_*`) or <@U0LEAD> or <@U0SECOND> (every job) may rerun `orders_daily` instances.',
    );
  });
  test('unset, uncovered, external', () => {
    expect(refusalSentence({ allowed: false, reason: 'nobody', who: [] }, 'stop', 'j', false).text).toContain(
      'turned off',
    );
    expect(refusalSentence({ allowed: false, reason: 'nobody', who: [] }, 'stop', 'j', true).text).toContain(
      'no entry of `DLF_OPERATORS` covers this job',
    );
    expect(
      refusalSentence({ allowed: false, reason: 'external', who: [lead] }, 'stop', 'j', true).text,
    ).toContain('another organisation');
  });
});
