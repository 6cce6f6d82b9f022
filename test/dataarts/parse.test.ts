import { UnreadableAnswerError } from '../../src/dataarts/errors';
import { durationMs, hasOddTimes, isTerminal, needsAttention, statusText } from '../../src/dataarts/model';
import {
  idText,
  MAX_RUN_MS,
  parseErrorBody,
  parseInstancePage,
  parseJobInstance,
  parseJson,
  parseRunNow,
} from '../../src/dataarts/parse';

/** The instance-detail example of the DataArts docs, verbatim. */
const REFERENCE = `{"jobName":"job_batch","instanceId":34765,"status":"fail","planTime":1551425326540,
 "startTime":1551425327000,"endTime":1551425387000,"executeTime":1,"forceSuccess":false,
 "ignoreSuccess":false,"total":2,"nodes":[
  {"endTime":1551671590000,"inputRowCount":0,"instanceId":34765,"nodeName":"Dummy_8556",
   "planTime":1551671580000,"retryTimes":0,"startTime":1551671584000,"status":"success","type":"Dummy"},
  {"endTime":1551671598000,"inputRowCount":0,"instanceId":34765,
   "logPath":"obs://dlf-test-log/job_batch/2019-03-04 11_53_00.000/error/error.job","nodeName":"error",
   "planTime":1551671580000,"retryTimes":0,"startTime":1551671594000,"status":"success","type":"DWS SQL"}]}`;

describe('parseJobInstance', () => {
  test('the reference example', () => {
    const instance = parseJobInstance(parseJson(REFERENCE));
    expect(instance).toMatchObject({
      jobName: 'job_batch',
      instanceId: '34765',
      status: 'fail',
      planTime: 1551425326540,
      startTime: 1551425327000,
      endTime: 1551425387000,
      total: 2,
      forceSuccess: false,
      ignoreSuccess: false,
    });
    expect(instance.nodes.map((node) => [node.name, node.type, node.status])).toEqual([
      ['Dummy_8556', 'Dummy', 'success'],
      ['error', 'DWS SQL', 'success'],
    ]);
    expect(instance.nodes[1]!.logPath).toBe(
      'obs://dlf-test-log/job_batch/2019-03-04 11_53_00.000/error/error.job',
    );
    // executeTime (1) is ignored: the duration comes from the start and end times.
    expect(durationMs(instance)).toBe(60_000);
  });

  test('ids beyond 2^53 keep every digit', () => {
    const instance = parseJobInstance(
      parseJson('{"jobName":"j","instanceId":9007199254740993,"status":"running","nodes":[]}'),
    );
    expect(instance.instanceId).toBe('9007199254740993');
    expect(idText(12)).toBe('12');
    expect(idText('0012')).toBe('0012');
    expect(idText(1.5)).toBeUndefined();
  });

  test('unknown statuses are kept and shown as such, missing optional fields are fine', () => {
    const instance = parseJobInstance({
      jobName: 'j',
      instanceId: 1,
      status: 'frozen',
      nodes: [{ nodeName: 'n', status: 'teleported' }, { status: 'running-exception' }],
    });
    expect(instance.status).toEqual({ unknown: 'frozen' });
    expect(statusText(instance.status)).toBe('frozen');
    expect(isTerminal(instance.status)).toBe(false);
    expect(instance.total).toBe(2);
    expect(instance.nodes[0]).toMatchObject({
      name: 'n',
      type: 'unknown',
      status: { unknown: 'teleported' },
    });
    // running-exception is an instance status only; on a node it is unknown.
    expect(instance.nodes[1]!.status).toEqual({ unknown: 'running-exception' });
    expect(instance.nodes[1]!.name).toBe('(unnamed node)');
    expect(instance.endTime).toBeUndefined();
  });

  test('statuses classify', () => {
    expect(isTerminal('success')).toBe(true);
    expect(isTerminal('manual-stop')).toBe(true);
    expect(isTerminal('running')).toBe(false);
    expect(needsAttention('pause')).toBe(true);
    expect(needsAttention('running-exception')).toBe(true);
    expect(needsAttention('fail')).toBe(false);
  });

  test('a running node measures up to now', () => {
    expect(durationMs({ startTime: 1000 }, 4000)).toBe(3000);
    expect(durationMs({ startTime: 1000 })).toBeUndefined();
    expect(durationMs({})).toBeUndefined();
  });

  test('an answer without the required fields is an UnreadableAnswerError, not a crash', () => {
    expect(() => parseJobInstance({ jobName: 'j' })).toThrow(UnreadableAnswerError);
    expect(() => parseJobInstance('nope')).toThrow(/could not read/);
  });

  test('truncated or garbled JSON is an UnreadableAnswerError saying so', () => {
    const full = JSON.stringify({ jobName: 'j', instanceId: 1, nodes: [] });
    expect(() => parseJson(full.slice(0, full.length / 2))).toThrow(UnreadableAnswerError);
    expect(() => parseJson('<html>gateway</html>')).toThrow(/could not read \(not JSON, or cut short\)/);
    expect(() => parseJson('')).toThrow(/an empty answer/);
  });

  test('ids above 2^53 keep every digit; the fast path is taken otherwise', () => {
    const big = parseJson(
      '{"instanceId": 9007199254740993, "n": 1.5, "nodes": [{"instanceId": 9007199254740993}]}',
    );
    expect(big).toEqual({
      instanceId: '9007199254740993',
      n: 1.5,
      nodes: [{ instanceId: '9007199254740993' }],
    });
    expect(parseJson('{"instanceId": 34765, "speed": 1e3}')).toEqual({ instanceId: 34765, speed: 1000 });
  });
});

describe('parseInstancePage', () => {
  test('the list example, with a fractional executeTime ignored', () => {
    const page = parseInstancePage(
      parseJson(`{"total":2,"instances":[{"endTime":1551671598000,"executeTime":0.3,"forceSuccess":false,
        "ignoreSuccess":false,"instanceId":34765,"instanceType":2,"jobId":608627,"jobName":"job_batch",
        "jobInstanceName":"job_batch","planTime":1551671580000,"startTime":1551671580000,"status":"success",
        "submitTime":1550910278706,"version":1}]}`),
    );
    expect(page.total).toBe(2);
    expect(page.instances[0]).toMatchObject({
      instanceId: '34765',
      instanceType: 2,
      submitTime: 1550910278706,
      status: 'success',
    });
  });
  test('a row that cannot be read is left out and counted; the rest of the page stands', () => {
    const page = parseInstancePage({
      total: 4,
      instances: [
        { jobName: 'j', status: 'fail' },
        'not a row',
        null,
        { jobName: 'j', instanceId: 7, status: 'fail' },
      ],
    });
    expect(page.instances.map((row) => row.instanceId)).toEqual(['7']);
    expect(page.unreadable).toBe(3);
    expect(page.total).toBe(4);
    expect(parseInstancePage({ instances: [{ jobName: 'j', instanceId: 1 }] }).unreadable).toBeUndefined();
  });
});

describe('numbers are as untrusted as strings', () => {
  const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);
  const DAY = 86_400_000;
  const instance = (fields: Record<string, unknown>, nodes: unknown[] = []) =>
    parseJobInstance({ jobName: 'j', instanceId: 7, status: 'success', nodes, ...fields }, { now: NOW });

  test('times that cannot be one are left out and named; sane ones kept; 0 and null mean none yet', () => {
    expect(instance({ planTime: 1e20, startTime: NOW - 60_000, endTime: NOW })).toMatchObject({
      startTime: NOW - 60_000,
      endTime: NOW,
      oddTimes: ['planTime'],
    });
    expect(instance({ planTime: 1e20 }).planTime).toBeUndefined();
    // Before 2000, more than a day past DataArts' clock, the Date limits, not finite (sent as text).
    for (const odd of [
      946_684_799_999,
      -1,
      NOW + DAY + 1,
      8.64e15,
      -8.64e15,
      1e308,
      'NaN',
      'Infinity',
      'soon',
    ])
      expect(instance({ planTime: odd })).toEqual(expect.objectContaining({ oddTimes: ['planTime'] }));
    expect(instance({ planTime: NOW + DAY, startTime: 0, endTime: null }).oddTimes).toBeUndefined();
    expect(instance({ planTime: String(NOW) }).planTime).toBe(NOW);
  });

  test('an endTime in microseconds beside a startTime in milliseconds: the end is unknown, no duration', () => {
    const parsed = instance({ startTime: NOW - 60_000, endTime: NOW * 1000 }, [
      { nodeName: 'n', status: 'success', startTime: NOW - 60_000, endTime: (NOW - 1_000) * 1000 },
    ]);
    expect(parsed).toMatchObject({ startTime: NOW - 60_000, oddTimes: ['endTime'] });
    expect(parsed.endTime).toBeUndefined();
    expect(parsed.nodes[0]).toMatchObject({ oddTimes: ['endTime'] });
    expect(durationMs(parsed, NOW)).toBeUndefined();
    expect(hasOddTimes(parsed)).toBe(true);
  });

  test('a run longer than 31 days: both its start and end are unknown; 31 days exactly is believed', () => {
    const long = instance({ planTime: NOW - 40 * DAY, startTime: NOW - 40 * DAY, endTime: NOW });
    expect(long).toMatchObject({ planTime: NOW - 40 * DAY, oddTimes: ['startTime', 'endTime'] });
    expect([long.startTime, long.endTime]).toEqual([undefined, undefined]);
    expect(instance({ startTime: NOW - MAX_RUN_MS, endTime: NOW }).oddTimes).toBeUndefined();
  });

  test('without the answer’s time, only the lower bound, the Date limits and the run length are checked', () => {
    const parsed = parseJobInstance({ jobName: 'j', instanceId: 7, planTime: NOW + 30 * DAY, nodes: [] });
    expect(parsed.planTime).toBe(NOW + 30 * DAY);
    expect(parseJobInstance({ jobName: 'j', instanceId: 7, planTime: 1e20 }).oddTimes).toEqual(['planTime']);
  });

  test('list rows: submitTime checked too', () => {
    const page = parseInstancePage(
      { total: 1, instances: [{ jobName: 'j', instanceId: 1, submitTime: 1e20, planTime: NOW }] },
      { now: NOW },
    );
    expect(page.instances[0]).toMatchObject({ planTime: NOW, oddTimes: ['submitTime'] });
  });

  test('counts are whole and not negative: anything else is left out', () => {
    const [node] = instance({}, [
      { nodeName: 'n', status: 'success', retryTimes: -3, inputRowCount: 1e308, speed: -1 },
    ]).nodes;
    expect(node).toMatchObject({ retryTimes: undefined, inputRowCount: undefined, speed: undefined });
    expect(instance({ total: -5 }).total).toBe(0);
  });

  test('an instance id that is not one is refused with a sentence, never shown or posted', () => {
    const big = `{"jobName":"j","instanceId":${'9'.repeat(5_000)},"nodes":[]}`;
    expect(() => parseJobInstance(parseJson(big))).toThrow(
      'DataArts sent an answer the bot could not read (an instance id of 5,000 digits, more than an id has).',
    );
    expect(() => parseJobInstance({ jobName: 'j', instanceId: -7 })).toThrow(
      /an instance id that is not one/,
    );
    expect(() => parseJobInstance({ jobName: 'j', instanceId: 1e30 })).toThrow(UnreadableAnswerError);
    expect(() => parseRunNow({ instanceId: '1'.repeat(31) })).toThrow(UnreadableAnswerError);
    expect(parseJobInstance({ jobName: 'j', instanceId: '9'.repeat(30) }).instanceId).toBe('9'.repeat(30));
    // A list row keeps its digits: the sweep sets such a row aside without failing its page.
    const page = parseInstancePage({ instances: [{ jobName: 'j', instanceId: '9'.repeat(40) }] });
    expect(page.instances[0]!.instanceId).toHaveLength(40);
  });
});

describe('parseErrorBody', () => {
  test('DLF and gateway error bodies', () => {
    expect(parseErrorBody('{"error_code":"DLF.0137","error_msg":"Job instance does not exist."}')).toEqual({
      code: 'DLF.0137',
      message: 'Job instance does not exist.',
    });
    expect(parseErrorBody('<html>bad gateway</html>')).toEqual({});
  });
});
