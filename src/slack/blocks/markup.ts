/**
 * The one way text reaches Slack. Slack reads `&`, `<` and `>` as control characters in every text field (the
 * message `text`, mrkdwn and plain_text objects, modal titles): `<!here>` pings a channel, `<http://x|y>` makes a
 * link, `<@U…>` mentions someone. So every string that comes from DataArts or from a person is escaped exactly
 * once, by `escapeText`, when it is put into a `Markup` through the `md` template; the bot's own markup (date
 * tokens, mentions of ids it checked, links it made, inline code) comes only from the helpers below. Renderers
 * build `Markup` and hand Slack `.text`; nothing else writes Slack text.
 */
import type { MrkdwnElement, PlainTextElement } from '@slack/types';

/** Text that is safe to hand to Slack as it is. Only this module makes one (through `md` and the helpers). */
export class Markup {
  private constructor(readonly text: string) {}

  /** @internal The helpers below, and nothing else, vouch for text. */
  static vouch(text: string): Markup {
    return new Markup(text);
  }

  toString(): string {
    return this.text;
  }
}

export type Interpolation = string | number | Markup;

/** `&`, `<` and `>` as entities: Slack shows them as typed and gives them no meaning. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function piece(value: Interpolation): string {
  if (value instanceof Markup) return value.text;
  return typeof value === 'number' ? String(value) : escapeText(value);
}

/** A template whose literal parts are the bot's own words and whose every `${value}` is escaped (unless Markup). */
export function md(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += piece(value) + (strings[index + 1] ?? '');
  });
  return Markup.vouch(text);
}

/** Pieces joined by a separator of the bot's own. */
export function join(parts: readonly Interpolation[], separator: string): Markup {
  return Markup.vouch(parts.map(piece).join(separator));
}

const SLACK_ID = /^[A-Z][A-Z0-9]{1,30}$/;

/** `<@U…>` for a user id Slack gave us; anything else is shown as text, never as markup. */
export function mention(userId: string): Markup {
  return SLACK_ID.test(userId) ? Markup.vouch(`<@${userId}>`) : md`${userId}`;
}

/** `<!subteam^S…>` for a user group id. */
export function groupMention(groupId: string): Markup {
  return SLACK_ID.test(groupId) ? Markup.vouch(`<!subteam^${groupId}>`) : md`${groupId}`;
}

/** `<#C…>` for a conversation id Slack gave us. */
export function channelRef(channelId: string): Markup {
  return SLACK_ID.test(channelId) ? Markup.vouch(`<#${channelId}>`) : md`${channelId}`;
}

/** A link with a label: the URL is the bot's (a permalink, the console template), the label may be data. */
export function link(url: string, label: Interpolation): Markup {
  // A URL cannot carry the three control characters or the label separator into the markup.
  const safeUrl = url.replace(/[<>|\s]/g, (c) => encodeURIComponent(c));
  return Markup.vouch(`<${safeUrl}|${piece(label)}>`);
}

/** Inline code that survives any input (a backtick would end it). */
export function code(text: string): Markup {
  return Markup.vouch(`\`${escapeText(text).replace(/`/g, "'")}\``);
}

/**
 * A code block that survives any input: Slack ends a block at the next three backticks, so backticks inside become
 * a look-alike (U+02CB), and the three control characters are escaped as everywhere else.
 */
export function codeBlock(text: string): Markup {
  return Markup.vouch(`\`\`\`\n${escapeText(text).replace(/`/g, '\u02cb')}\n\`\`\``);
}

function utcText(ms: number): string {
  return `${new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '')} UTC`;
}

/**
 * A date each reader sees in their own time zone, with a UTC fallback where Slack cannot render it. A time no Date
 * holds (parse.ts leaves those out; this is the last guard) is "unknown", never a RangeError.
 */
export function dateToken(ms: number, format = '{date_short_pretty} at {time_secs}'): Markup {
  if (!(Math.abs(ms) <= 8.64e15)) return md`unknown`;
  return Markup.vouch(`<!date^${Math.floor(ms / 1000)}^${format}|${utcText(ms)}>`);
}

/**
 * At most `max` characters, cut with an ellipsis; never inside an entity or a token, so a cut cannot leave half
 * of `&amp;` or an unterminated `<…`.
 */
export function truncateMarkup(markup: Markup, max: number): Markup {
  const { text } = markup;
  if (text.length <= max) return markup;
  let cut = text.slice(0, max - 1);
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp > cut.lastIndexOf(';')) cut = cut.slice(0, amp);
  return Markup.vouch(`${cut}…`);
}

/** A plain string cut to `max` characters with an ellipsis (before escaping). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function mrkdwn(markup: Markup): MrkdwnElement {
  return { type: 'mrkdwn', text: markup.text };
}

/** plain_text is not mrkdwn, but Slack still decodes the three entities in it: escaped the same way. */
export function plain(value: Interpolation, max?: number): PlainTextElement {
  const markup = value instanceof Markup ? value : md`${value}`;
  return { type: 'plain_text', text: (max ? truncateMarkup(markup, max) : markup).text, emoji: true };
}
