/**
 * OBS keys for a bot that reaches DataArts with an IAM password: a temporary AK/SK and its security token, asked
 * of IAM with the bot's own token (`POST /v3.0/OS-CREDENTIAL/securitytokens`, token method), kept until five
 * minutes before they expire, one request at a time. The log reader is rebuilt when the keys change. Keys and
 * tokens never leave this module but to the OBS SDK.
 */
import type { LogReader, LogReadResult, ObsSettings } from './obs-reader';
import { ObsLogReader } from './obs-reader';

export interface TemporaryKeys {
  accessKey: string;
  secretKey: string;
  securityToken: string;
  expiresAt: number;
}

export interface TemporaryKeySourceOptions {
  /** IAM base URL, e.g. https://iam.eu-de.otc.t-systems.com */
  iamEndpoint: string;
  /** The bot's IAM token (the DataArts client's). */
  token(): Promise<string>;
  timeoutMs: number;
  /** How long each pair lasts (IAM allows 900 s to 24 h). */
  durationSeconds?: number;
  clock?: () => number;
}

const REFRESH_MARGIN_MS = 5 * 60_000;

export class TemporaryKeySource {
  private cached?: TemporaryKeys;
  private inFlight?: Promise<TemporaryKeys>;
  private readonly clock: () => number;

  constructor(private readonly options: TemporaryKeySourceOptions) {
    this.clock = options.clock ?? Date.now;
  }

  async current(): Promise<TemporaryKeys> {
    if (this.cached && this.clock() < this.cached.expiresAt - REFRESH_MARGIN_MS) return this.cached;
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    this.cached = await this.inFlight;
    return this.cached;
  }

  private async fetch(): Promise<TemporaryKeys> {
    const response = await fetch(`${this.options.iamEndpoint}/v3.0/OS-CREDENTIAL/securitytokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': await this.options.token() },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['token'],
            token: { duration_seconds: this.options.durationSeconds ?? 3_600 },
          },
        },
      }),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const body = (await response.json().catch(() => undefined)) as
      | { credential?: { access?: unknown; secret?: unknown; securitytoken?: unknown; expires_at?: unknown } }
      | undefined;
    const credential = body?.credential;
    const expiresAt = Date.parse(String(credential?.expires_at ?? ''));
    if (
      !response.ok ||
      typeof credential?.access !== 'string' ||
      typeof credential.secret !== 'string' ||
      typeof credential.securitytoken !== 'string' ||
      !Number.isFinite(expiresAt)
    )
      // The status only: an answer may echo what was sent.
      throw new Error(`IAM did not give temporary keys (HTTP ${response.status})`);
    return {
      accessKey: credential.access,
      secretKey: credential.secret,
      securityToken: credential.securitytoken,
      expiresAt,
    };
  }
}

/** Reads logs with the temporary keys of the moment. */
export class TemporaryKeyLogReader implements LogReader {
  private reader?: ObsLogReader;
  private readerKey?: string;

  constructor(
    private readonly source: TemporaryKeySource,
    private readonly obs: Omit<ObsSettings, 'accessKey' | 'secretKey' | 'securityToken'>,
  ) {}

  async readTail(obsPath: string, tailBytes: number): Promise<LogReadResult> {
    let keys: TemporaryKeys;
    try {
      keys = await this.source.current();
    } catch {
      return { ok: false, failure: 'unreachable' };
    }
    if (!this.reader || this.readerKey !== keys.accessKey) {
      this.reader?.close();
      this.reader = new ObsLogReader({
        ...this.obs,
        accessKey: keys.accessKey,
        secretKey: keys.secretKey,
        securityToken: keys.securityToken,
      });
      this.readerKey = keys.accessKey;
    }
    return this.reader.readTail(obsPath, tailBytes);
  }

  close(): void {
    this.reader?.close();
  }
}
