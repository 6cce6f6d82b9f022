/**
 * A look-up's result across the thread boundary. Structured cloning keeps an error's message but not its
 * class, and the sentence a person gets depends on the class, so known errors travel as their class name
 * and fields and are rebuilt on the other side. A cause is not sent: it is for logs, which the thread writes.
 */
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
} from '../../dataarts/errors';
import { NoInstancesError } from '../../dataarts/lookup';
import type { LookUpAnswer } from '../look-ups/calls';

const KNOWN = {
  ApiError,
  AuthFailedError,
  InstanceNotFoundError,
  InvalidReferenceError,
  JobNotFoundError,
  NoInstancesError,
  PermissionDeniedError,
  ResponseTooLargeError,
  ThrottledError,
  UnavailableError,
  UnreadableAnswerError,
} as const;

type KnownName = keyof typeof KNOWN;

export interface WireError {
  /** One of KNOWN, or undefined for any other error (it becomes a plain Error). */
  className?: KnownName;
  message: string;
  fields: Record<string, unknown>;
}

export type WireResult = Exclude<LookUpAnswer, { kind: 'failed' }> | { kind: 'failed'; error: WireError };

function isKnownName(name: string): name is KnownName {
  return Object.hasOwn(KNOWN, name);
}

export function errorToWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const { message, constructor: type } = error;
  const { cause: _cause, ...fields } = error as Error & Record<string, unknown>;
  const name = type.name;
  return isKnownName(name) && KNOWN[name] === type
    ? { className: name, message, fields }
    : { message, fields: {} };
}

export function errorFromWire(wire: WireError): Error {
  const prototype = wire.className ? KNOWN[wire.className].prototype : Error.prototype;
  const error = Object.assign(Object.create(prototype) as Error, wire.fields);
  Object.defineProperty(error, 'message', { value: wire.message, writable: true, configurable: true });
  return error;
}

export function resultToWire(result: LookUpAnswer): WireResult {
  return result.kind === 'failed' ? { kind: 'failed', error: errorToWire(result.error) } : result;
}

export function resultFromWire(wire: WireResult): LookUpAnswer {
  return wire.kind === 'failed' ? { kind: 'failed', error: errorFromWire(wire.error) } : wire;
}
