/**
 * Errors of the DataArts client: values with one plain-English meaning each.
 * Messages are built only from the API's error code and text, HTTP status and our own words,
 * never from request headers, so no key, password or token can reach a log or a Slack message.
 */

export type DataArtsErrorKind =
  | 'instance-not-found'
  | 'job-not-found'
  | 'auth-failed'
  | 'permission-denied'
  | 'throttled'
  | 'unavailable'
  | 'unreadable'
  | 'too-large'
  | 'invalid-reference'
  | 'wrong-instance'
  | 'api-error';

export abstract class DataArtsError extends Error {
  abstract readonly kind: DataArtsErrorKind;
  /** The API's error code (`DLF.0137`, `APIG.0301`), when there was one. */
  readonly code?: string;
  readonly httpStatus?: number;

  constructor(message: string, details: { code?: string; httpStatus?: number; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.httpStatus = details.httpStatus;
  }
}

/**
 * DataArts answered a read with another job or instance than the one asked: nothing may be shown or done on it
 * (a stop confirmed for one instance must never reach another).
 */
export class WrongInstanceError extends DataArtsError {
  readonly kind = 'wrong-instance';
  constructor(
    readonly asked: { jobName: string; instanceId: string },
    readonly answered: { jobName: string; instanceId: string },
  ) {
    super(
      `DataArts answered about ${answered.jobName.slice(0, 128)} #${answered.instanceId.slice(0, 30)} when asked for ${asked.jobName} #${asked.instanceId}.`,
    );
  }
}

/** `DLF.0137`: there is no such instance of that job. */
export class InstanceNotFoundError extends DataArtsError {
  readonly kind = 'instance-not-found';
  constructor(
    readonly jobName: string,
    readonly instanceId: string,
    details: { code?: string; httpStatus?: number } = {},
  ) {
    super(`Job ${jobName} has no instance ${instanceId}.`, details);
  }
}

/** `DLF.0100`: there is no such job (in this project and workspace). */
export class JobNotFoundError extends DataArtsError {
  readonly kind = 'job-not-found';
  constructor(
    readonly jobName: string,
    details: { code?: string; httpStatus?: number } = {},
  ) {
    super(`There is no job named ${jobName}.`, details);
  }
}

/** 401 / `APIG.0301`: the gateway did not accept our credentials. `reason` is the gateway's own text. */
export class AuthFailedError extends DataArtsError {
  readonly kind = 'auth-failed';
  constructor(
    readonly reason: string,
    details: { code?: string; httpStatus?: number; cause?: unknown } = {},
  ) {
    super(`DataArts rejected the bot's credentials${reason ? ` (${reason})` : ''}.`, details);
  }
}

/** `DLF.6888` (a 400) or a 403: the credentials work but may not do this. */
export class PermissionDeniedError extends DataArtsError {
  readonly kind = 'permission-denied';
  constructor(details: { code?: string; httpStatus?: number; message?: string } = {}) {
    super(
      `The bot's DataArts account has no permission for this${details.message ? ` (${details.message})` : ''}.`,
      details,
    );
  }
}

/** 429 / `APIG.0308`: too many requests; `retryAfterMs` from `Retry-After` when sent. */
export class ThrottledError extends DataArtsError {
  readonly kind = 'throttled';
  constructor(
    readonly retryAfterMs: number | undefined,
    details: { code?: string; httpStatus?: number } = {},
  ) {
    super('DataArts is throttling requests right now.', details);
  }
}

/** Network error, timeout or 5xx: DataArts could not be reached or did not answer. */
export class UnavailableError extends DataArtsError {
  readonly kind = 'unavailable';
  constructor(
    readonly reason: 'timeout' | 'network' | 'server-error',
    details: { code?: string; httpStatus?: number; cause?: unknown; message?: string } = {},
  ) {
    super(
      details.message ??
        {
          timeout: 'DataArts did not answer in time.',
          network: 'DataArts could not be reached.',
          'server-error': `DataArts answered with a server error${details.httpStatus ? ` (HTTP ${details.httpStatus})` : ''}.`,
        }[reason],
      details,
    );
  }
}

/** A 2xx answer that is not what the API documents (truncated, not JSON, missing fields). */
export class UnreadableAnswerError extends DataArtsError {
  readonly kind = 'unreadable';
  constructor(readonly what: string) {
    super(`DataArts sent an answer the bot could not read (${what}).`, { code: 'UNEXPECTED_RESPONSE' });
  }
}

/** An answer larger than DLF_MAX_RESPONSE_MB: reading stopped there, nothing was parsed. */
export class ResponseTooLargeError extends DataArtsError {
  readonly kind = 'too-large';
  constructor(readonly limitBytes: number) {
    super(
      `DataArts sent more than ${Math.round(limitBytes / 1_048_576)} MB; the bot reads at most that much.`,
    );
  }
}

/**
 * A job name, instance id or workspace id that is not one (refs.ts): refused before any request, whoever asked.
 * The value is kept for the sentence, which shows it escaped and shortened.
 */
export class InvalidReferenceError extends DataArtsError {
  readonly kind = 'invalid-reference';
  constructor(
    readonly field: 'job' | 'instance' | 'workspace',
    readonly value: string,
  ) {
    super(
      `That is not a valid ${field === 'instance' ? 'instance id' : `${field} ${field === 'job' ? 'name' : 'id'}`}.`,
    );
  }
}

/** Any other error answer, with the API's own code and text. */
export class ApiError extends DataArtsError {
  readonly kind = 'api-error';
  constructor(
    readonly apiMessage: string,
    details: { code?: string; httpStatus?: number } = {},
  ) {
    super(
      `DataArts answered ${details.code ?? `HTTP ${details.httpStatus ?? '?'}`}${apiMessage ? `: ${apiMessage}` : ''}`,
      details,
    );
  }
}

export function isDataArtsError(error: unknown): error is DataArtsError {
  return error instanceof DataArtsError;
}
