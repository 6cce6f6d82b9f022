/**
 * `npm run test:faults`: the fault matrix of poll-engine-notes.md §5 against real bot processes, a private
 * Redis, the DataArts simulator and the Slack stand-in, all on 127.0.0.1. Prints one row per fault
 * (notifications expected, delivered, duplicates, missing, end → reply delay; rows about the process itself
 * say what they expect and what they got in the first two), writes test-output/faults.json, and exits 1 if
 * any row has a missing reply, more duplicates than its stated bound, or a failed gated check.
 *
 * FAULTS_QUICK=1: the shorter form (shorter downtime and faults, a smaller herd, two rows at a time).
 * FAULTS_DOWNTIME_SECONDS: how long "all processes down" lasts (default 20, quick 8).
 * FAULTS_HERD_INSTANCES: instances ending at once in the herd (default 60, quick 30), each followed twice.
 * FAULTS_PARALLEL: rows run at a time, each in its own world (default 1, quick 2).
 * FAULTS_ONLY=F1,F5: only these rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatTable, percentile } from '../../bench/stats';
import type { Tally } from './checker';
import { Harness, LOG_DIR } from './harness';
import { NOTIFY_SCENARIOS } from './notify-scenarios';
import { PROCESS_SCENARIOS } from './process-scenarios';
import {
  type Check,
  type ObservedOutcome,
  type Options,
  type Outcome,
  SCENARIOS,
  type Scenario,
} from './scenarios';
import { WATCH_SCENARIOS } from './watch-scenarios';

const ALL = [...SCENARIOS, ...WATCH_SCENARIOS, ...NOTIFY_SCENARIOS, ...PROCESS_SCENARIOS];

const OUTPUT = path.join(__dirname, '..', '..', '..', 'test-output', 'faults.json');
/** A scenario that has not finished by then is failed (and its processes killed). */
const SCENARIO_TIMEOUT_MS = 150_000;

interface Result {
  id: string;
  fault: string;
  seconds: number;
  tally?: Tally;
  /** Rows about other outcomes than replies: what they expected, what they got, their figures. */
  observed?: ObservedOutcome['observed'];
  /** Rows that count replies: the duplicates their fault may cause. */
  duplicateBound?: { max: number; why: string };
  checks: Check[];
  notes: string[];
  error?: string;
  passed: boolean;
}

function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not "${raw}"`);
  return value;
}

function options(): Options {
  const quick = process.env.FAULTS_QUICK === '1' || process.env.FAULTS_QUICK === 'true';
  return {
    quick,
    downtimeSeconds: numberEnv('FAULTS_DOWNTIME_SECONDS', quick ? 8 : 20),
    faultMs: quick ? 4_000 : 6_000,
    herdInstances: Math.round(numberEnv('FAULTS_HERD_INSTANCES', quick ? 30 : 60)),
  };
}

/** The worlds of the rows running now, for an interrupted run to kill. */
const current = new Set<Harness>();

async function runOne(scenario: Scenario, opts: Options): Promise<Result> {
  const started = Date.now();
  const base = {
    id: scenario.id,
    fault: scenario.fault,
    checks: [] as Check[],
    notes: [] as string[],
  };
  let harness: Harness | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    harness = await Harness.start(scenario.id, { proxy: scenario.proxy });
    current.add(harness);
    const running = harness;
    const outcome: Outcome = await Promise.race([
      scenario.run(running, opts),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no result after ${SCENARIO_TIMEOUT_MS / 1000} s`)),
          SCENARIO_TIMEOUT_MS,
        );
      }),
    ]);
    const seconds = (Date.now() - started) / 1000;
    if ('observed' in outcome) {
      const gated = outcome.checks.filter((check) => check.gate);
      return {
        ...base,
        seconds,
        observed: outcome.observed,
        checks: outcome.checks,
        notes: outcome.notes ?? [],
        ...(gated.length === 0 ? { error: 'the row states no gated check: it could not fail' } : {}),
        passed: gated.length > 0 && gated.every((check) => check.ok),
      };
    }
    const bound = outcome.duplicateBound ?? { max: 0, why: '' };
    const checks = outcome.checks ?? [];
    const passed =
      outcome.tally.missing === 0 &&
      outcome.tally.duplicates <= bound.max &&
      checks.every((check) => check.ok || !check.gate);
    return {
      ...base,
      seconds,
      tally: outcome.tally,
      duplicateBound: bound,
      checks,
      notes: outcome.notes ?? [],
      passed,
    };
  } catch (error) {
    return {
      ...base,
      seconds: (Date.now() - started) / 1000,
      error: (error as Error).message,
      passed: false,
    };
  } finally {
    clearTimeout(timer);
    await harness?.close().catch((error: unknown) => {
      process.stderr.write(`cleanup of ${scenario.id} failed: ${(error as Error).message}\n`);
      harness?.killNow();
    });
    if (harness) current.delete(harness);
  }
}

const delay = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);

function row(result: Result): string[] {
  const verdict = result.passed ? 'ok' : 'FAIL';
  const o = result.observed;
  if (o) return [result.id, result.fault, o.expected, o.got, '–', '–', '–', '–', verdict];
  const t = result.tally;
  const sorted = [...(t?.delays ?? [])].sort((a, b) => a - b);
  return [
    result.id,
    result.fault,
    t ? String(t.expected) : '–',
    t ? String(t.delivered) : '–',
    t ? `${t.duplicates} (≤ ${result.duplicateBound?.max ?? 0})` : '–',
    t ? String(t.missing) : '–',
    t ? String(t.undeliverable) : '–',
    sorted.length ? `${delay(percentile(sorted, 0.5))} / ${delay(sorted.at(-1))}` : '–',
    verdict,
  ];
}

function details(result: Result): string {
  const lines = [
    ...result.notes,
    ...(result.duplicateBound?.why ? [`duplicate bound: ${result.duplicateBound.why}`] : []),
    ...result.checks.map((check) => `${check.ok ? '✓' : check.gate ? '✗' : '!'} ${check.what}`),
    ...(result.error ? [`error: ${result.error}`] : []),
  ];
  return `- ${result.id} (${result.seconds.toFixed(0)} s): ${lines.join('; ')}`;
}

async function main(): Promise<number> {
  const opts = options();
  const only = process.env.FAULTS_ONLY?.split(',').map((id) => id.trim().toUpperCase());
  const scenarios = ALL.filter((s) => !only || only.includes(s.id.toUpperCase()));
  const parallel = Math.max(1, Math.round(numberEnv('FAULTS_PARALLEL', opts.quick ? 2 : 1)));
  const started = Date.now();
  const results: Result[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, scenarios.length) }, async () => {
      while (next < scenarios.length) {
        const i = next++;
        const scenario = scenarios[i]!;
        const result = await runOne(scenario, opts);
        process.stderr.write(
          `${scenario.id} ${scenario.fault}: ${result.passed ? 'ok' : 'FAIL'} (${result.seconds.toFixed(1)} s)\n`,
        );
        results[i] = result;
      }
    }),
  );
  const totalSeconds = (Date.now() - started) / 1000;
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const table = formatTable(
    [
      '#',
      'Fault',
      'Expected',
      'Delivered',
      'Duplicates (bound)',
      'Missing',
      'Undeliverable',
      'End → reply p50 / max',
      'Result',
    ],
    results.map(row),
  );
  process.stdout.write(
    `\n${table}\n\n${results.map(details).join('\n')}\n\n` +
      `${opts.quick ? 'Quick form (FAULTS_QUICK=1). ' : ''}${parallel > 1 ? `${parallel} rows at a time. ` : ''}Bots: DLF_POLL_INTERVAL_SECONDS=0.5, DLF_POLL_LOCK_SECONDS=2, SLACK_API_TIMEOUT_SECONDS=1, DLF_TIMEOUT_MS=3000.\n` +
      `Machine: ${machine}. Total: ${totalSeconds.toFixed(0)} s. Bot logs: ${path.relative(process.cwd(), LOG_DIR)}/\n`,
  );
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  writeFileSync(
    OUTPUT,
    `${JSON.stringify({ at: new Date().toISOString(), machine, options: { ...opts, parallel }, totalSeconds, results }, null, 2)}\n`,
  );
  return results.every((result) => result.passed) ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const harness of current) harness.killNow();
    process.exit(130);
  });
}
process.on('exit', () => {
  for (const harness of current) harness.killNow();
});

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test:faults failed: ${(error as Error).stack ?? error}\n`);
    for (const harness of current) harness.killNow();
    process.exit(1);
  },
);
