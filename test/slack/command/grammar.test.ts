import { readLookupSubmission } from '../../../src/slack/blocks/lookup-modal';
import { extractInstanceRef, MAX_TEXT } from '../../../src/slack/command/extract';
import { parseCommand, tokenize } from '../../../src/slack/command/grammar';
import { decodeButtonValue } from '../../../src/slack/ids';

const LINK =
  'https://console.eu-de.otc.t-systems.com/dayu/?region=eu-de#/dlf/monitor/jobInstance?jobName=job_batch&instanceId=34765&workspace=d1cd7861478748a6925bc02f47c69279';

describe('parseCommand', () => {
  test.each<[string, ReturnType<typeof parseCommand>]>([
    ['job_batch 34765', { kind: 'show', job: 'job_batch', instance: '34765' }],
    ['  job_batch\t\t34765  ', { kind: 'show', job: 'job_batch', instance: '34765' }],
    ['job_batch\u00a034765', { kind: 'show', job: 'job_batch', instance: '34765' }],
    ['"job_batch" \'34765\'', { kind: 'show', job: 'job_batch', instance: '34765' }],
    ['“job_batch” ‘34765’', { kind: 'show', job: 'job_batch', instance: '34765' }],
    ['job_batch #34765', { kind: 'show', job: 'job_batch', instance: '34765' }],
    ['job_batch', { kind: 'show', job: 'job_batch', instance: 'latest' }],
    ['job_batch LATEST', { kind: 'show', job: 'job_batch', instance: 'latest' }],
    ['job_batch 9007199254740993', { kind: 'show', job: 'job_batch', instance: '9007199254740993' }],
    ['数据同步_daily 1001', { kind: 'show', job: '数据同步_daily', instance: '1001' }],
    [
      'job_batch 34765 --workspace w1',
      { kind: 'show', job: 'job_batch', instance: '34765', workspace: 'w1' },
    ],
    ['--workspace=w1 job_batch', { kind: 'show', job: 'job_batch', instance: 'latest', workspace: 'w1' }],
    ['-w w1 job_batch 3', { kind: 'show', job: 'job_batch', instance: '3', workspace: 'w1' }],
    [
      LINK,
      { kind: 'show', job: 'job_batch', instance: '34765', workspace: 'd1cd7861478748a6925bc02f47c69279' },
    ],
    [
      `<${LINK}|console>`,
      { kind: 'show', job: 'job_batch', instance: '34765', workspace: 'd1cd7861478748a6925bc02f47c69279' },
    ],
    [`${LINK} --workspace other`, { kind: 'show', job: 'job_batch', instance: '34765', workspace: 'other' }],
    ['https://console.example.com/x?jobName=nightly', { kind: 'show', job: 'nightly', instance: 'latest' }],
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['list', { kind: 'list' }],
    ['watch job_w', { kind: 'watch', pattern: 'job_w', mode: 'fail' }],
    ['watch orders_* --on end', { kind: 'watch', pattern: 'orders_*', mode: 'end' }],
    ['watch --on=fail * -w w1', { kind: 'watch', pattern: '*', mode: 'fail', workspace: 'w1' }],
    ['unwatch orders_* --workspace w1', { kind: 'unwatch', pattern: 'orders_*', workspace: 'w1' }],
    ['subscribe job_batch 34765', { kind: 'subscribe', job: 'job_batch', instanceId: '34765' }],
    ['digest now', { kind: 'digest', action: 'now' }],
    ['Digest OFF', { kind: 'digest', action: 'off' }],
    ['digest daily 09:00', { kind: 'digest', action: 'daily', time: { hour: 9, minute: 0 } }],
    ['digest daily 7:05', { kind: 'digest', action: 'daily', time: { hour: 7, minute: 5 } }],
    ['digest  daily  23:59', { kind: 'digest', action: 'daily', time: { hour: 23, minute: 59 } }],
    [
      'unsubscribe job_batch #34765 --workspace w',
      { kind: 'unsubscribe', job: 'job_batch', instanceId: '34765', workspace: 'w' },
    ],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  test.each<[string, RegExp]>([
    ['job_batch abc', /`abc` is not an instance id/],
    ['job_batch 1 2', /got 3 words/],
    ['job/batch 1', /is not a job name/],
    ['.. 1', /is not a job name/],
    ['job_batch 1 --workspace', /needs a workspace id/],
    ['job_batch --verbose', /Unknown option `--verbose`/],
    ['job_batch 1 --workspace a/b', /is not a workspace id/],
    ['subscribe job_batch', /needs a job name and an instance id/],
    ['subscribe job_batch latest', /is not an instance id/],
    ['list all', /takes no arguments/],
    ['watch', /needs a job name or a pattern/],
    ['watch a b', /Too many words/],
    ['watch ../x*', /is not a job name or pattern/],
    ['watch job --on sometimes', /takes `fail`/],
    ['job_batch 1 --on end', /goes with `watch` only/],
    ['https://console.example.com/nothing-here', /no job name/],
    ['digest', /`digest` needs a form/],
    ['digest weekly 09:00', /`weekly` is not a digest form/],
    ['digest daily', /needs a time of day/],
    ['digest daily 24:00', /`24:00` is not a time of day/],
    ['digest daily 9am', /`9am` is not a time of day/],
    ['digest daily 09:00 10:00', /is not a time of day/],
    ['digest now please', /takes nothing after it/],
    ['digest now --workspace w1', /no `--workspace`/],
  ])('%j is refused with a reason', (text, reason) => {
    const command = parseCommand(text);
    expect(command.kind).toBe('invalid');
    expect(command.kind === 'invalid' && command.reason.text).toMatch(reason);
  });

  test('tokenize keeps quoted phrases together', () => {
    expect(tokenize('a "b c" d')).toEqual(['a', 'b c', 'd']);
  });
});

describe('extractInstanceRef', () => {
  test.each<[string, ReturnType<typeof extractInstanceRef>]>([
    [
      `Alert: see <${LINK}|the run>`,
      { job: 'job_batch', instanceId: '34765', workspace: 'd1cd7861478748a6925bc02f47c69279' },
    ],
    ['[DLF] Job job_batch instance 34765 failed at 02:00', { job: 'job_batch', instanceId: '34765' }],
    [
      'job: nightly_sales_etl, instance id: 40021 is stuck',
      { job: 'nightly_sales_etl', instanceId: '40021' },
    ],
    [
      'anyone know why nightly_sales_etl/40021 took so long?',
      { job: 'nightly_sales_etl', instanceId: '40021' },
    ],
    ['`job_batch` #34765 is red again', { job: 'job_batch', instanceId: '34765' }],
    ['job_batch 34765', { job: 'job_batch', instanceId: '34765' }],
    ['the job nightly_sales_etl failed again', { job: 'nightly_sales_etl', instanceId: undefined }],
    ['instance 40021 is slow', { job: undefined, instanceId: '40021' }],
    ['lunch?', { job: undefined, instanceId: undefined }],
    ['run 5 of nightly 40021 broke', { job: 'nightly', instanceId: '40021' }],
    ['.. 34765', { job: undefined, instanceId: undefined }],
    ['job .. instance 5', { job: undefined, instanceId: '5' }],
    ['see ../34765', { job: undefined, instanceId: undefined }],
  ])('%j', (text, expected) => {
    expect(extractInstanceRef(text)).toEqual(expected);
  });

  test.each<[string, string]>([
    ['https://console.example.com/?jobName=..&instanceId=34765', 'job'],
    ['https://console.example.com/#/x?jobName=job_batch&instanceId=1&workspace=../..', 'workspace'],
    ['<https://console.example.com/?jobName=job_batch&instanceId=1&workspace=w%0D%0AX:1|link>', 'workspace'],
    ['https://console.example.com/#/x?jobName=job_batch&instanceId=-0', 'instance'],
    [`https://console.example.com/?jobName=job_batch&instanceId=${'9'.repeat(5_000)}`, 'instance'],
  ])('a console link with a bad part is reported, not used: %s', (text, field) => {
    expect(extractInstanceRef(text).problem).toMatchObject({ field });
  });

  test('instanceId=-0 in a console link is refused with a sentence, never read as the latest instance', () => {
    const parsed = parseCommand('https://console.example.com/#/x?jobName=job_batch&instanceId=-0');
    expect(parsed).toMatchObject({ kind: 'invalid' });
    expect(JSON.stringify(parsed)).toContain('`-0` is not an instance id');
  });

  test('worst cases for the old backtracking pattern are read linearly and still answered right', () => {
    expect(extractInstanceRef(`a${' '.repeat(40_000)}b`)).toEqual({ job: undefined, instanceId: undefined });
    expect(extractInstanceRef(`${' '.repeat(3_000)}job_batch 34765`)).toEqual({
      job: 'job_batch',
      instanceId: '34765',
    });
    expect(extractInstanceRef(`${'job '.repeat(5_000)}`)).toEqual({ job: undefined, instanceId: undefined });
  });

  test(`only the first ${MAX_TEXT} characters are read`, () => {
    expect(extractInstanceRef(`${'x '.repeat(MAX_TEXT)}job_batch 34765`)).toEqual({
      job: undefined,
      instanceId: undefined,
    });
  });
});

describe('every way in refuses `..` and other non-ids the same way', () => {
  test.each([
    ['.. 34765'],
    ['subscribe .. 34765'],
    ['job_batch 34765 --workspace ../..'],
    ['https://console.example.com/?jobName=..&instanceId=1'],
    ['https://console.example.com/?jobName=job_batch&instanceId=1&workspace=..%2F..'],
  ])('the command %j', (text) => {
    expect(parseCommand(text).kind).toBe('invalid');
  });

  test('button values', () => {
    expect(decodeButtonValue(JSON.stringify({ j: '..', i: '1' }))).toBeUndefined();
    expect(decodeButtonValue(JSON.stringify({ j: 'job', i: '../1' }))).toBeUndefined();
    expect(decodeButtonValue(JSON.stringify({ j: 'job', i: '1', w: 'a\r\nb' }))).toBeUndefined();
    expect(decodeButtonValue(JSON.stringify({ j: 'job', i: '1', w: 'w1' }))).toEqual({
      job: 'job',
      instanceId: '1',
      workspace: 'w1',
    });
  });

  test('the modal', () => {
    const values = (job: string, workspace: string | null) => ({
      job: { job: { value: job } },
      instance: { instance: { value: '1' } },
      workspace: { workspace: { value: workspace } },
      conversation: { conversation: { selected_conversation: 'C1' } },
    });
    expect(readLookupSubmission(values('..', null))).toMatchObject({
      ok: false,
      errors: { job: expect.any(String) },
    });
    expect(readLookupSubmission(values('job', '../..'))).toMatchObject({
      ok: false,
      errors: { workspace: expect.any(String) },
    });
  });
});

describe('stop, rerun and run', () => {
  test.each<[string, ReturnType<typeof parseCommand>]>([
    ['stop job_batch 34765', { kind: 'stop', job: 'job_batch', instanceId: '34765' }],
    [
      'RERUN job_batch #34765 -w w1',
      { kind: 'rerun', job: 'job_batch', instanceId: '34765', workspace: 'w1' },
    ],
    [
      `stop ${LINK}`,
      { kind: 'stop', job: 'job_batch', instanceId: '34765', workspace: 'd1cd7861478748a6925bc02f47c69279' },
    ],
    ['run job_batch', { kind: 'run', job: 'job_batch', params: [] }],
    [
      'run job_batch day=2026-12-01 "note=a b" empty=',
      {
        kind: 'run',
        job: 'job_batch',
        params: [
          { name: 'day', value: '2026-12-01' },
          { name: 'note', value: 'a b' },
          { name: 'empty', value: '' },
        ],
      },
    ],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  test.each<[string, RegExp]>([
    ['stop job_batch', /`stop` needs a job name and an instance id/],
    ['rerun job_batch latest', /is not an instance id/],
    ['stop job_batch 1 2', /Too many words after `rerun`|Too many words after `stop`/],
    ['stop ../x 1', /is not a job name/],
    ['run', /`run` needs a job name/],
    ['run job_batch day', /`day` is not a parameter/],
    ['run job_batch =x', /is not a parameter/],
    [`run job_batch day=${'x'.repeat(1025)}`, /longer than DataArts allows/],
    ['stop job_batch 1 --on end', /goes with `watch` only/],
  ])('%j is refused with a reason', (text, reason) => {
    const command = parseCommand(text);
    expect(command.kind).toBe('invalid');
    expect(command.kind === 'invalid' && command.reason.text).toMatch(reason);
  });
});
