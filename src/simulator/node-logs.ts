/**
 * The logs of the simulator's failed nodes, as OBS objects: a Spark-like failure with a stack trace, the lines a
 * real log leaks (a password, an AK/SK pair, a JDBC URL, a bearer token), colours, a very long line and bytes
 * that are not UTF-8; and a 50 MB log of the same ending, generated as it is read (nodes named *big*).
 */
import { DEMO_AK, DEMO_SK } from './demo';
import { bufferObject, generatedLog, type ObsObject, type RunningObs, startObs } from './obs';

export const LOG_BUCKET = 'dlf-sim-logs';
/** What the excerpt must show. */
export const LOG_ERROR_LINE = 'java.lang.IllegalStateException: table dw.orders is locked by another load';
/** What no reader may see. */
export const LOG_SECRETS = [
  'Hunter2-Sim-Passw0rd',
  'HPUA7SIMULATORAK0001',
  'simSK0123456789abcdefGHIJKLMNOPqrstuvwxZ',
  'jdbcSecret99',
  'eyJhbGciOiJIUzI1NiJ9.simulated.bearer',
];

const [password, ak, sk, jdbc, bearer] = LOG_SECRETS;

export function failureLogEnding(): Buffer {
  return Buffer.concat([
    Buffer.from(
      [
        '2026-12-06 01:00:00 INFO  [main] Starting load of dw.orders',
        `2026-12-06 01:00:01 INFO  [main] spark.hadoop.fs.obs.access.key=${ak} spark.hadoop.fs.obs.secret.key=${sk}`,
        `2026-12-06 01:00:01 DEBUG [main] connecting jdbc:mysql://etl:${jdbc}@10.0.0.8:3306/dw password=${password}`,
        `2026-12-06 01:00:02 DEBUG [http] Authorization: Bearer ${bearer}`,
        `2026-12-06 01:00:03 INFO  [main] \x1b[32mstage 3 of 4\x1b[0m ${'x'.repeat(5000)}`,
        '2026-12-06 01:00:04 WARN  [main] odd bytes: ',
      ].join('\n'),
    ),
    Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
    Buffer.from(
      [
        '',
        '2026-12-06 01:00:05 ERROR [main] Load failed',
        LOG_ERROR_LINE,
        '\tat com.example.etl.Loader.lock(Loader.java:88)',
        '\tat com.example.etl.Loader.run(Loader.java:42)',
        'Caused by: java.sql.SQLException: Lock wait timeout exceeded; try restarting transaction',
        '\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:123)',
        '\t... 12 more',
        '2026-12-06 01:00:06 INFO  [main] Shutdown hook called',
        '',
      ].join('\n'),
    ),
  ]);
}

export function failureLog(): ObsObject {
  return bufferObject(failureLogEnding());
}

/** 50 MB: INFO lines, then the failure; made piece by piece, never held whole. */
export function bigFailureLog(size = 50 * 1024 * 1024): ObsObject {
  return generatedLog(
    size,
    (line) => `2026-12-06 00:00:00 INFO  [task] processed batch ${String(line % 1e9).padStart(9, '0')}\n`,
    failureLogEnding(),
  );
}

/** A failed node's log path names a node with "big" in it: its log is the 50 MB one. */
export function resolveSimulatorLog(bucketKey: string): ObsObject | undefined {
  const [bucket, ...rest] = bucketKey.split('/');
  if (!bucket?.startsWith('dlf-') || !rest.includes('error')) return undefined;
  return /big/i.test(rest[rest.length - 1] ?? '') ? bigFailureLog() : failureLog();
}

/**
 * The OBS endpoint beside the simulator, signed with the simulator's demo AK/SK: every failed node's log path
 * (`obs://dlf-…/…/error/<node>.job`) has a log.
 */
export function startSimulatorObs(options: { host?: string; port?: number } = {}): Promise<RunningObs> {
  return startObs({ accessKey: DEMO_AK, secretKey: DEMO_SK, resolve: resolveSimulatorLog, ...options });
}
