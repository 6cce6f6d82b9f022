/**
 * What the simulator answers with, and the error bodies of DataArts (every DLF error is HTTP 400) and of the
 * API gateway (same shape plus `request_id`).
 */
import { randomBytes } from 'node:crypto';

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function dlfError(code: string, message: string): Answer {
  return { status: 400, body: { error_code: code, error_msg: message } };
}

export function gatewayError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Answer {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { error_code: code, error_msg: message, request_id: randomBytes(16).toString('hex') },
  };
}

export const noInstance = (): Answer => dlfError('DLF.0137', 'Job instance does not exist.');
export const noJob = (): Answer => dlfError('DLF.0100', 'The job does not exist.');
/** DLF.3051 is not in the docs' error table; its examples use it (with this text) for bad parameters. */
export const invalidParameter = (message = 'The request parameter is invalid.'): Answer =>
  dlfError('DLF.3051', message);
