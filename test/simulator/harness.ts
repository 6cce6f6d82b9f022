/** A simulator on loopback with a clock the test drives, and raw HTTP helpers (global fetch, no project client). */
import { signRequest } from '../../src/dataarts/auth/signer';
import {
  DEMO_AK,
  DEMO_IAM_USER,
  DEMO_PROJECT_ID,
  DEMO_SK,
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator';

/** 2026-11-25 08:00:00 UTC. */
export const T0 = Date.UTC(2026, 10, 25, 8, 0, 0);

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers.
  json: any;
}

export interface CallOptions {
  body?: string;
  headers?: Record<string, string>;
  /** 'aksk' (default: signed with the demo AK/SK at the simulator's time), 'none', or a token. */
  auth?: 'aksk' | 'none' | { token: string };
  signal?: AbortSignal;
}

export interface Harness {
  sim: RunningSimulator;
  clock: { now: number };
  /** `path` is relative to `/v1/{project_id}/`. */
  api(method: string, path: string, options?: CallOptions): Promise<Reply>;
  /** Any path on the simulator, unsigned. */
  raw(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<Reply>;
  close(): Promise<void>;
}

export async function startHarness(options: SimulatorOptions = {}): Promise<Harness> {
  const clock = { now: T0 };
  const sim = await startSimulator({ clock: () => clock.now, ...options });
  const api = async (method: string, path: string, call: CallOptions = {}) => {
    const url = new URL(`/v1/${DEMO_PROJECT_ID}/${path}`, sim.url);
    const base = { 'Content-Type': 'application/json', ...call.headers };
    const auth = call.auth ?? 'aksk';
    const headers =
      auth === 'aksk'
        ? signRequest(
            { method, url, headers: base, body: call.body },
            { accessKey: DEMO_AK, secretKey: DEMO_SK },
            new Date(clock.now),
          )
        : auth === 'none'
          ? base
          : { ...base, 'X-Auth-Token': auth.token };
    return reply(await fetch(url, { method, headers, body: call.body, signal: call.signal }));
  };
  const raw = async (
    method: string,
    path: string,
    call: { body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    reply(
      await fetch(new URL(path, sim.url), {
        method,
        headers: call.headers,
        body:
          call.body === undefined
            ? undefined
            : typeof call.body === 'string'
              ? call.body
              : JSON.stringify(call.body),
      }),
    );
  return { sim, clock, api, raw, close: () => sim.close() };
}

async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The docs' JSON examples, minified, to compare with the raw answer text. */
export function minified(example: string): string {
  return JSON.stringify(JSON.parse(example));
}

/** An IAM password-token request body for the demo user, with any part changed. */
export function tokenRequest(
  changes: { password?: string; domain?: string; project?: Record<string, string> } = {},
) {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: {
            name: DEMO_IAM_USER.name,
            password: changes.password ?? DEMO_IAM_USER.password,
            domain: { name: changes.domain ?? DEMO_IAM_USER.domain },
          },
        },
      },
      scope: { project: changes.project ?? { id: DEMO_PROJECT_ID } },
    },
  };
}
