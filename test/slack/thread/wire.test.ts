import {
  ApiError,
  AuthFailedError,
  InstanceNotFoundError,
  InvalidReferenceError,
  JobNotFoundError,
  PermissionDeniedError,
  ResponseTooLargeError,
  ThrottledError,
  UnavailableError,
  UnreadableAnswerError,
} from '../../../src/dataarts/errors';
import { NoInstancesError } from '../../../src/dataarts/lookup';
import { errorSentence } from '../../../src/slack/blocks/errors';
import { errorFromWire, errorToWire, resultFromWire, resultToWire } from '../../../src/slack/thread/wire';

// What a worker thread's postMessage does to a value.
const acrossThreads = <T>(value: T): T => structuredClone(value);

const errors: Error[] = [
  new InstanceNotFoundError('job_batch', '34765', { code: 'DLF.0137', httpStatus: 400 }),
  new JobNotFoundError('ジョブ', { code: 'DLF.0100', httpStatus: 400 }),
  new AuthFailedError('signature expired', { code: 'APIG.0301', httpStatus: 401, cause: new Error('x') }),
  new PermissionDeniedError({ code: 'DLF.6888', httpStatus: 400, message: 'no access' }),
  new ThrottledError(1500, { code: 'APIG.0308', httpStatus: 429 }),
  new UnavailableError('timeout'),
  new UnavailableError('server-error', { httpStatus: 503 }),
  new ApiError('Something odd', { code: 'DLF.9999', httpStatus: 400 }),
  new NoInstancesError('never_ran'),
  new UnreadableAnswerError('not JSON, or cut short'),
  new ResponseTooLargeError(16 * 1_048_576),
  new InvalidReferenceError('job', '..'),
];

test.each(errors.map((error) => [error.constructor.name, error] as const))(
  '%s keeps its class, fields and sentence across the thread boundary',
  (_name, error) => {
    const rebuilt = errorFromWire(acrossThreads(errorToWire(error)));
    expect(rebuilt).toBeInstanceOf(error.constructor);
    expect(rebuilt.message).toBe(error.message);
    expect({ ...rebuilt }).toEqual(withoutCause(error));
    expect(errorSentence(rebuilt).text).toBe(errorSentence(error).text);
  },
);

function withoutCause(error: Error): Record<string, unknown> {
  const { cause: _cause, ...rest } = error as Error & Record<string, unknown>;
  return rest;
}

test('an unknown error becomes a plain Error with its message, and the generic sentence', () => {
  class Strange extends Error {
    secret = 'not sent';
  }
  const rebuilt = errorFromWire(acrossThreads(errorToWire(new Strange('boom'))));
  expect(rebuilt.constructor).toBe(Error);
  expect(rebuilt.message).toBe('boom');
  expect({ ...rebuilt }).toEqual({});
  expect(errorSentence(rebuilt).text).toBe(errorSentence(new Error('boom')).text);
  expect(errorFromWire(acrossThreads(errorToWire('a string'))).message).toBe('a string');
});

test('results other than failures pass unchanged', () => {
  const refused = {
    kind: 'refused' as const,
    error: 'not_in_channel',
    message: { text: 't', blocks: [] },
    facts: { instanceId: '1' } as never,
  };
  expect(resultFromWire(acrossThreads(resultToWire(refused)))).toEqual(refused);
  const failed = resultFromWire(
    acrossThreads(resultToWire({ kind: 'failed', error: new JobNotFoundError('x') })),
  );
  expect(failed.kind === 'failed' && failed.error).toBeInstanceOf(JobNotFoundError);
});
