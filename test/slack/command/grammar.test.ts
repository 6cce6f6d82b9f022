import { extractInstanceRef } from '../../../src/slack/command/extract';
import { parseCommand, tokenize } from '../../../src/slack/command/grammar';

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
    ['subscribe job_batch 34765', { kind: 'subscribe', job: 'job_batch', instanceId: '34765' }],
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
    ['https://console.example.com/nothing-here', /no job name/],
  ])('%j is refused with a reason', (text, reason) => {
    const command = parseCommand(text);
    expect(command.kind).toBe('invalid');
    expect(command.kind === 'invalid' && command.reason).toMatch(reason);
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
  ])('%j', (text, expected) => {
    expect(extractInstanceRef(text)).toEqual(expected);
  });
});
