/**
 * Pictures served from the bot's own front door, for App Home's image blocks (Slack shows an image there only
 * from a public URL, not from an uploaded file): `GET /pictures/sparkline/<data>.<signature>.png`. The URL
 * carries the numbers drawn (daily success rates, no names) and an HMAC of them with a key derived from the
 * bot token, so the route needs no store and draws only what the bot signed. On only with DLF_PUBLIC_URL.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DayRate, sparklineSvg, svgToPng } from '../pictures';

export const PICTURES_PATH = '/pictures/';
const SPARKLINE = /^\/pictures\/sparkline\/([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{22})\.png$/;
const DAY = 86_400_000;

interface Payload {
  /** The last day (epoch ms), the others one day apart before it. */
  d: number;
  /** Rates 0..100 (whole percent), null for a day without ended runs. */
  r: (number | null)[];
}

/**
 * Sparklines kept drawn, by their signed data: only URLs the bot signed are drawn, so the set is what App Home
 * showed lately; a hit costs a map look-up instead of a 3 ms draw on the main thread.
 */
const DRAWN_KEPT = 1_000;

export class PictureLinks {
  private readonly key: Buffer;
  private readonly drawn = new Map<string, Buffer>();

  constructor(
    secret: string,
    private readonly publicUrl: string,
    private readonly timeZone: string,
  ) {
    this.key = createHmac('sha256', 'dlf-instance-bot pictures').update(secret).digest();
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest().subarray(0, 16).toString('base64url');
  }

  sparklineUrl(days: DayRate[]): string {
    const payload: Payload = {
      d: days.at(-1)?.day ?? 0,
      r: days.map((day) => (day.rate === null ? null : Math.round(day.rate * 100))),
    };
    const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${this.publicUrl.replace(/\/+$/, '')}/pictures/sparkline/${data}.${this.sign(data)}.png`;
  }

  /** The route: a PNG for a URL this bot signed, 404 for anything else. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const match = SPARKLINE.exec((req.url ?? '').split('?')[0] ?? '');
    const days = match && this.verify(match[1]!, match[2]!);
    if (!days) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    const png = this.png(match[1]!, days);
    res.writeHead(200, {
      'content-type': 'image/png',
      'content-length': png.length,
      // The URL names its content: it never changes.
      'cache-control': 'public, max-age=604800, immutable',
    });
    res.end(req.method === 'HEAD' ? undefined : png);
  };

  private png(data: string, days: DayRate[]): Buffer {
    const kept = this.drawn.get(data);
    if (kept) {
      // Most recently used last: the oldest go first when the map is full.
      this.drawn.delete(data);
      this.drawn.set(data, kept);
      return kept;
    }
    const { png } = svgToPng(sparklineSvg(days, { timeZone: this.timeZone }).svg);
    this.drawn.set(data, png);
    if (this.drawn.size > DRAWN_KEPT) this.drawn.delete(this.drawn.keys().next().value!);
    return png;
  }

  private verify(data: string, signature: string): DayRate[] | undefined {
    const expected = Buffer.from(this.sign(data));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as Payload;
      if (
        !Number.isFinite(payload.d) ||
        !Array.isArray(payload.r) ||
        payload.r.length === 0 ||
        payload.r.length > 31
      )
        return undefined;
      return payload.r.map((rate, i) => ({
        day: payload.d - (payload.r.length - 1 - i) * DAY,
        rate: rate === null ? null : Math.min(100, Math.max(0, Number(rate) || 0)) / 100,
      }));
    } catch {
      return undefined;
    }
  }
}
