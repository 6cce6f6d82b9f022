/**
 * Block Kit JSON → HTML for the playground page, close enough to Slack's look to judge a design: mrkdwn
 * (bold, italic, strike, code, pre, quotes, links, mentions, emoji, bullet lists, date tokens), the layout
 * blocks, the interactive elements a message, modal or Home tab can hold, and files shared with a message (a
 * picture scaled down under its title, as Slack shows one). Pure, and everything that comes from the JSON is
 * escaped; only http(s) and mailto links, and http(s), data:image or the page's own file images, are kept.
 *
 * Interactive elements carry data attributes the page's script reads: `data-action-id` and `data-block-id`
 * on buttons and selects; inputs of modals `data-input` with the ids their state is reported under.
 */
import { EMOJI } from './emoji';

export interface RenderContext {
  /** A person's display name, for <@U…> mentions. */
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
  /** A user group's handle, for <!subteam^S…> mentions. */
  groupHandle?(id: string): string | undefined;
  /** What conversations_select / channels_select offer (id and label, e.g. "#general"). */
  conversations?: { id: string; label: string }[];
  /** What users_select offers. */
  people?: { id: string; label: string }[];
  /** Where the page serves a shared file's bytes (a path on its own origin), by file id. */
  fileUrl?(id: string): string | undefined;
}

/** A file shared with a message, as the page needs it. */
export interface MessageFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  size: number;
  altText?: string;
  imageSize?: { width: number; height: number };
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** mrkdwn escapes exactly &, < and >; the text shown has them back. */
function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function safeUrl(url: string, options: { image?: boolean } = {}): string | undefined {
  const trimmed = url.trim();
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  if (!options.image && /^mailto:/i.test(trimmed)) return trimmed;
  if (options.image && /^data:image\/(png|gif|jpeg|webp);base64,[a-z0-9+/=]+$/i.test(trimmed)) return trimmed;
  return undefined;
}

/** :shortcode: → the character (unknown ones stay as written); input and output are HTML. */
export function emojify(html: string): string {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => {
    const char = EMOJI[name];
    return char ? `<span class="emoji" title=":${name}:">${char}</span>` : whole;
  });
}

function dateToken(body: string, fallback: string): string {
  const [, ts, format = '', link] = body.split('^');
  const seconds = Number(ts);
  const shown = escapeHtml(fallback);
  if (!ts || !Number.isFinite(seconds)) return shown;
  const iso = new Date(seconds * 1000).toISOString();
  const time = `<time class="bk-date" datetime="${iso}" data-ts="${seconds}" data-format="${escapeHtml(format)}" title="${shown}">${shown}</time>`;
  const href = link ? safeUrl(link) : undefined;
  return href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${time}</a>` : time;
}

/** One `<…>` of mrkdwn: a mention, a channel, a special mention, a date, or a link. */
function angleToken(inside: string, ctx: RenderContext): string {
  const bar = inside.indexOf('|');
  const body = bar < 0 ? inside : inside.slice(0, bar);
  const label = bar < 0 ? undefined : decodeEntities(inside.slice(bar + 1));
  if (body.startsWith('@')) {
    const id = body.slice(1);
    const name = ctx.userName(id) ?? label ?? id;
    return `<span class="bk-mention" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (body.startsWith('#')) {
    const id = body.slice(1);
    const name = ctx.channelName(id) ?? label ?? id;
    return `<span class="bk-mention bk-channel">#${escapeHtml(name)}</span>`;
  }
  if (body.startsWith('!date^')) return dateToken(body, label ?? '');
  if (body.startsWith('!subteam^')) {
    const id = body.slice('!subteam^'.length);
    return `<span class="bk-mention">@${escapeHtml(ctx.groupHandle?.(id) ?? label ?? id)}</span>`;
  }
  if (body.startsWith('!')) {
    const special = body.slice(1).split('^')[0] ?? '';
    const shown = label ?? (['here', 'channel', 'everyone'].includes(special) ? `@${special}` : special);
    return `<span class="bk-mention">${escapeHtml(shown)}</span>`;
  }
  const href = safeUrl(decodeEntities(body));
  const text = escapeHtml(label ?? decodeEntities(body));
  return href
    ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>`
    : escapeHtml(`<${decodeEntities(inside)}>`);
}

const SLOT = /\uE000(\d+)\uE001/g;
const QUOTE = '\uE002';

/** Emphasis as Slack reads it: the markers hug the text, and are not inside a word. */
function emphasis(html: string): string {
  const rule = (marker: string, tag: string) => {
    const m = marker === '*' ? '\\*' : marker;
    return [
      new RegExp(`(^|[^\\w${m}])${m}(?=[^\\s${m}])([^${m}\\n]*?[^\\s${m}])${m}(?![\\w${m}])`, 'g'),
      tag,
    ] as const;
  };
  let out = html;
  for (const [pattern, tag] of [rule('*', 'b'), rule('_', 'i'), rule('~', 's')]) {
    out = out.replace(
      pattern,
      (_whole, before: string, inner: string) => `${before}<${tag}>${inner}</${tag}>`,
    );
  }
  return out;
}

interface Line {
  kind: 'text' | 'item' | 'quote';
  html: string;
}

/** Lines into HTML: bullet lines become lists (indented lines below an item stay in it), `>` lines quotes. */
function layoutLines(html: string): string {
  const lines: Line[] = [];
  for (const raw of html.split('\n')) {
    const previous = lines.at(-1);
    const bullet = /^\s*(?:•|◦|▪|-)\s+(.*)$/.exec(raw);
    if (raw.startsWith(QUOTE)) lines.push({ kind: 'quote', html: raw.slice(1) });
    else if (bullet) lines.push({ kind: 'item', html: bullet[1] ?? '' });
    else if (previous?.kind === 'item' && /^\s{2,}\S/.test(raw)) previous.html += `\n${raw.trimStart()}`;
    else lines.push({ kind: 'text', html: raw });
  }
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.kind === 'text') {
      out += line.html;
      if (lines[i + 1]?.kind === 'text') out += '\n';
      continue;
    }
    const group = [line];
    while (lines[i + 1]?.kind === line.kind) group.push(lines[++i]!);
    out +=
      line.kind === 'item'
        ? `<ul class="bk-list">${group.map((item) => `<li>${item.html}</li>`).join('')}</ul>`
        : `<blockquote class="bk-quote">${group.map((item) => item.html).join('\n')}</blockquote>`;
  }
  return out;
}

/** mrkdwn text → HTML (inline, to be shown with white-space: pre-wrap). */
export function mrkdwn(source: string, ctx: RenderContext): string {
  const slots: string[] = [];
  const slot = (html: string) => {
    slots.push(html);
    return `\uE000${slots.length - 1}\uE001`;
  };
  // Code first (nothing inside it is formatted), then Slack's <…> markup, then the rest, escaped.
  const tokenized = source
    .replace(/[\uE000-\uE002]/g, '')
    .replace(
      /```([\s\S]*?)```|`([^`\n]+)`|<([^<>\n]*)>/g,
      (_whole, pre: string | undefined, code: string | undefined, angle: string | undefined) => {
        if (pre !== undefined)
          return slot(`<pre class="bk-pre">${escapeHtml(decodeEntities(pre.replace(/^\n/, '')))}</pre>`);
        if (code !== undefined)
          return slot(`<code class="bk-code">${escapeHtml(decodeEntities(code))}</code>`);
        return slot(angleToken(angle ?? '', ctx));
      },
    )
    .replace(/^>[ ]?/gm, QUOTE);
  const escaped = escapeHtml(decodeEntities(tokenized));
  const formatted = layoutLines(emojify(emphasis(escaped)));
  return formatted.replace(SLOT, (_whole, index: string) => slots[Number(index)] ?? '');
}

/** A text object: mrkdwn, or plain_text (escaped, emoji shown unless `emoji: false`). */
export function textObject(value: unknown, ctx: RenderContext): string {
  if (typeof value === 'string') return escapeHtml(value);
  if (!isRecord(value)) return '';
  const text = str(value.text);
  if (value.type === 'mrkdwn') return mrkdwn(text, ctx);
  // Slack decodes its three entities in plain_text too (the bot escapes them there as everywhere).
  const escaped = escapeHtml(decodeEntities(text));
  return value.emoji === false ? escaped : emojify(escaped);
}

/** The text of a plain_text object (labels, titles), as HTML. */
function plain(value: unknown): string {
  if (!isRecord(value)) return typeof value === 'string' ? escapeHtml(value) : '';
  const escaped = escapeHtml(decodeEntities(str(value.text)));
  return value.emoji === false ? escaped : emojify(escaped);
}

/** The block and action ids an input's state is reported under; Slack makes ids up for those left out. */
export function inputIds(block: Json, index: number, element: Json): { blockId: string; actionId: string } {
  return {
    blockId: str(block.block_id) || `block_${index}`,
    actionId: str(element.action_id) || `action_${index}`,
  };
}

function ids(blockId: string, element: Json): string {
  return `data-action-id="${escapeHtml(str(element.action_id))}" data-block-id="${escapeHtml(blockId)}"`;
}

function button(element: Json, blockId: string): string {
  const style = element.style === 'primary' || element.style === 'danger' ? ` bk-${element.style}` : '';
  const url = safeUrl(str(element.url));
  const link = url ? ` data-url="${escapeHtml(url)}"` : '';
  const label = str(element.accessibility_label);
  const aria = label ? ` aria-label="${escapeHtml(label)}"` : '';
  // Slack asks before sending a press whose button has a confirm dialog; the page asks the same.
  const confirm = isRecord(element.confirm) ? element.confirm : undefined;
  const asks = confirm
    ? ` data-confirm="${escapeHtml(
        [confirm.title, confirm.text, confirm.confirm]
          .map((part) => decodeEntities(str(isRecord(part) ? part.text : '')))
          .join('\n'),
      )}"`
    : '';
  return `<button type="button" class="bk-button${style}" ${ids(blockId, element)}${link}${aria}${asks}>${plain(element.text)}${url ? ' <span class="bk-external">↗</span>' : ''}</button>`;
}

function optionsOf(element: Json): Json[] {
  const direct = list(element.options).filter(isRecord);
  const grouped = list(element.option_groups)
    .filter(isRecord)
    .flatMap((group) => list(group.options).filter(isRecord));
  return [...direct, ...grouped];
}

/** An option of a select, radio group or checkbox group by its value. */
export function findOption(element: Json, value: string): Json | undefined {
  return optionsOf(element).find((option) => str(option.value) === value);
}

function optionTags(element: Json, selected: Set<string>): string {
  const tag = (option: Json) => {
    const value = str(option.value);
    const text = isRecord(option.text) ? str(option.text.text) : '';
    return `<option value="${escapeHtml(value)}"${selected.has(value) ? ' selected' : ''}>${escapeHtml(text)}</option>`;
  };
  const groups = list(element.option_groups).filter(isRecord);
  if (groups.length === 0) return list(element.options).filter(isRecord).map(tag).join('');
  return groups
    .map(
      (group) =>
        `<optgroup label="${escapeHtml(isRecord(group.label) ? str(group.label.text) : '')}">${list(group.options).filter(isRecord).map(tag).join('')}</optgroup>`,
    )
    .join('');
}

function placeholderOption(element: Json, fallback: string): string {
  const text = isRecord(element.placeholder) ? str(element.placeholder.text) : fallback;
  return `<option value="">${escapeHtml(text || fallback)}</option>`;
}

function initialValues(element: Json): Set<string> {
  const values = new Set<string>();
  const one = element.initial_option;
  if (isRecord(one)) values.add(str(one.value));
  for (const option of list(element.initial_options)) if (isRecord(option)) values.add(str(option.value));
  for (const key of ['initial_conversation', 'initial_channel', 'initial_user'])
    if (typeof element[key] === 'string') values.add(element[key] as string);
  for (const key of ['initial_conversations', 'initial_channels', 'initial_users'])
    for (const id of list(element[key])) if (typeof id === 'string') values.add(id);
  return values;
}

function choices(entries: { id: string; label: string }[], selected: Set<string>): string {
  return entries
    .map(
      (entry) =>
        `<option value="${escapeHtml(entry.id)}"${selected.has(entry.id) ? ' selected' : ''}>${escapeHtml(entry.label)}</option>`,
    )
    .join('');
}

const INPUT_KINDS: Record<string, string> = {
  number_input: 'number',
  email_text_input: 'email',
  url_text_input: 'url',
};

/** An interactive element; `input` names it for a modal's state (input blocks), else it acts at once. */
function element(
  el: Json,
  blockId: string,
  ctx: RenderContext,
  input?: { blockId: string; actionId: string; uid: string },
): string {
  const type = str(el.type);
  const data = input
    ? `data-input="1" data-type="${escapeHtml(type)}" data-block-id="${escapeHtml(input.blockId)}" data-action-id="${escapeHtml(input.actionId)}"`
    : `data-type="${escapeHtml(type)}" ${ids(blockId, el)}`;
  const placeholder = isRecord(el.placeholder)
    ? ` placeholder="${escapeHtml(str(el.placeholder.text))}"`
    : '';
  const multi = type.startsWith('multi_') ? ' multiple' : '';
  switch (type) {
    case 'button':
      return button(el, blockId);
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const initial = escapeHtml(str(el.initial_value));
      if (el.multiline === true)
        return `<textarea class="bk-text-input" rows="4" ${data}${placeholder}>${initial}</textarea>`;
      const kind = INPUT_KINDS[type] ?? 'text';
      return `<input class="bk-text-input" type="${kind}" value="${initial}" ${data}${placeholder}>`;
    }
    case 'static_select':
    case 'multi_static_select':
    case 'external_select':
      return `<select class="bk-select" ${data}${multi}>${multi ? '' : placeholderOption(el, 'Select an item')}${optionTags(el, initialValues(el))}</select>`;
    case 'overflow':
      return `<select class="bk-select bk-overflow" ${data} aria-label="More actions"><option value="">⋯</option>${optionTags(el, new Set())}</select>`;
    case 'conversations_select':
    case 'channels_select':
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const current = el.default_to_current_conversation === true ? ' data-default-current="1"' : '';
      const options = choices(ctx.conversations ?? [], initialValues(el));
      return `<select class="bk-select" ${data}${multi}${current}>${multi ? '' : placeholderOption(el, 'Select a conversation')}${options}</select>`;
    }
    case 'users_select':
    case 'multi_users_select':
      return `<select class="bk-select" ${data}${multi}>${multi ? '' : placeholderOption(el, 'Select a person')}${choices(ctx.people ?? [], initialValues(el))}</select>`;
    case 'radio_buttons':
    case 'checkboxes': {
      const selected = initialValues(el);
      const kind = type === 'radio_buttons' ? 'radio' : 'checkbox';
      const name = input?.uid ?? `${blockId}_${str(el.action_id)}`;
      const options = list(el.options)
        .filter(isRecord)
        .map((option) => {
          const value = str(option.value);
          const description = option.description
            ? `<span class="bk-option-description">${textObject(option.description, ctx)}</span>`
            : '';
          return `<label class="bk-choice"><input type="${kind}" name="${escapeHtml(name)}" value="${escapeHtml(value)}"${selected.has(value) ? ' checked' : ''}><span>${textObject(option.text, ctx)}${description}</span></label>`;
        })
        .join('');
      return `<div class="bk-choices" ${data}>${options}</div>`;
    }
    case 'datepicker':
      return `<input class="bk-text-input bk-date-input" type="date" value="${escapeHtml(str(el.initial_date))}" ${data}>`;
    case 'timepicker':
      return `<input class="bk-text-input bk-date-input" type="time" value="${escapeHtml(str(el.initial_time))}" ${data}>`;
    case 'image':
      return image(el, 'bk-accessory-image', ctx);
    default:
      return `<span class="bk-unsupported">[${escapeHtml(type || 'unknown')} element]</span>`;
  }
}

/** An image block or element: `image_url`, or `slack_file` (a file uploaded to Slack, by id or url_private). */
function imageSource(el: Json, ctx: RenderContext): string | undefined {
  if (el.image_url !== undefined) return safeUrl(str(el.image_url), { image: true });
  const file = isRecord(el.slack_file) ? el.slack_file : {};
  const id = str(file.id) || /\/files-pri\/\w+-(\w+)\//.exec(str(file.url))?.[1] || '';
  return id ? ctx.fileUrl?.(id) : undefined;
}

function image(el: Json, className: string, ctx: RenderContext): string {
  const src = imageSource(el, ctx);
  const alt = escapeHtml(str(el.alt_text));
  return src
    ? `<img class="${className}" src="${escapeHtml(src)}" alt="${alt}" title="${alt}" loading="lazy">`
    : `<span class="${className} bk-missing-image" title="${alt}"></span>`;
}

function richText(elements: unknown[], ctx: RenderContext): string {
  const inline = (item: Json): string => {
    const style = isRecord(item.style) ? item.style : {};
    let html: string;
    switch (item.type) {
      case 'text':
        html = escapeHtml(str(item.text));
        break;
      case 'link': {
        const href = safeUrl(str(item.url));
        const text = escapeHtml(str(item.text) || str(item.url));
        html = href
          ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>`
          : text;
        break;
      }
      case 'user':
        return angleToken(`@${str(item.user_id)}`, ctx);
      case 'channel':
        return angleToken(`#${str(item.channel_id)}`, ctx);
      case 'emoji':
        return emojify(`:${escapeHtml(str(item.name))}:`);
      case 'date':
        return dateToken(`!date^${String(item.timestamp)}^${str(item.format)}`, str(item.fallback));
      case 'broadcast':
        return `<span class="bk-mention">@${escapeHtml(str(item.range))}</span>`;
      default:
        return '';
    }
    if (style.code) html = `<code class="bk-code">${html}</code>`;
    if (style.bold) html = `<b>${html}</b>`;
    if (style.italic) html = `<i>${html}</i>`;
    if (style.strike) html = `<s>${html}</s>`;
    return html;
  };
  const part = (item: Json): string => {
    const inner = list(item.elements).filter(isRecord);
    switch (item.type) {
      case 'rich_text_section':
        return `<div class="bk-rich-section">${inner.map(inline).join('')}</div>`;
      case 'rich_text_preformatted':
        return `<pre class="bk-pre">${inner.map(inline).join('')}</pre>`;
      case 'rich_text_quote':
        return `<blockquote class="bk-quote">${inner.map(inline).join('')}</blockquote>`;
      case 'rich_text_list': {
        const tag = item.style === 'ordered' ? 'ol' : 'ul';
        return `<${tag} class="bk-list">${inner.map((section) => `<li>${list(section.elements).filter(isRecord).map(inline).join('')}</li>`).join('')}</${tag}>`;
      }
      default:
        return '';
    }
  };
  return elements.filter(isRecord).map(part).join('');
}

function inputBlock(block: Json, index: number, ctx: RenderContext): string {
  const el = isRecord(block.element) ? block.element : {};
  const { blockId, actionId } = inputIds(block, index, el);
  const uid = `in_${index}_${blockId}`;
  const optional = block.optional === true ? ' <span class="bk-optional">(optional)</span>' : '';
  const hint = block.hint ? `<div class="bk-hint">${plain(block.hint)}</div>` : '';
  return (
    `<div class="bk-block bk-input" data-block-id="${escapeHtml(blockId)}">` +
    `<label class="bk-label">${plain(block.label)}${optional}</label>` +
    element(el, blockId, ctx, { blockId, actionId, uid }) +
    `${hint}<div class="bk-error" data-error-for="${escapeHtml(blockId)}"></div></div>`
  );
}

function block(raw: unknown, index: number, ctx: RenderContext): string {
  if (!isRecord(raw)) return '';
  const blockId = str(raw.block_id);
  switch (raw.type) {
    case 'header':
      return `<div class="bk-block bk-header">${plain(raw.text)}</div>`;
    case 'section': {
      const text = raw.text ? `<div class="bk-text">${textObject(raw.text, ctx)}</div>` : '';
      const fields = list(raw.fields).length
        ? `<div class="bk-fields">${list(raw.fields)
            .map((field) => `<div class="bk-field">${textObject(field, ctx)}</div>`)
            .join('')}</div>`
        : '';
      const accessory = isRecord(raw.accessory)
        ? `<div class="bk-accessory">${element(raw.accessory, blockId, ctx)}</div>`
        : '';
      return `<div class="bk-block bk-section"><div class="bk-section-main">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="bk-block bk-context">${list(raw.elements)
        .filter(isRecord)
        .map((el) =>
          el.type === 'image' ? image(el, 'bk-context-image', ctx) : `<span>${textObject(el, ctx)}</span>`,
        )
        .join('')}</div>`;
    case 'divider':
      return '<hr class="bk-block bk-divider">';
    case 'image': {
      const title = raw.title ? `<div class="bk-image-title">${plain(raw.title)}</div>` : '';
      return `<figure class="bk-block bk-image">${title}${image(raw, 'bk-image-img', ctx)}</figure>`;
    }
    case 'actions':
      return `<div class="bk-block bk-actions">${list(raw.elements)
        .filter(isRecord)
        .map((el) => element(el, blockId, ctx))
        .join('')}</div>`;
    case 'input':
      return inputBlock(raw, index, ctx);
    case 'rich_text':
      return `<div class="bk-block bk-rich">${richText(list(raw.elements), ctx)}</div>`;
    case 'markdown':
      return `<div class="bk-block bk-text">${mrkdwn(markdownToMrkdwn(str(raw.text)), ctx)}</div>`;
    case 'table':
      return table(raw, ctx);
    default:
      return `<div class="bk-block bk-unsupported">[${escapeHtml(str(raw.type) || 'unknown')} block]</div>`;
  }
}

/** The markdown block's standard Markdown, near enough: **bold**, [label](url), escaped as mrkdwn wants. */
function markdownToMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*\*([^*\n]+)\*\*/g, '*$1*')
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, '<$2|$1>');
}

function table(raw: Json, ctx: RenderContext): string {
  const cell = (value: unknown) => {
    if (!isRecord(value)) return '';
    return value.type === 'rich_text' ? richText(list(value.elements), ctx) : escapeHtml(str(value.text));
  };
  const rows = list(raw.rows)
    .map(
      (row, index) =>
        `<tr>${list(row)
          .map((value) => (index === 0 ? `<th>${cell(value)}</th>` : `<td>${cell(value)}</td>`))
          .join('')}</tr>`,
    )
    .join('');
  return `<table class="bk-block bk-table">${rows}</table>`;
}

export function renderBlocks(blocks: unknown, ctx: RenderContext): string {
  return list(blocks)
    .map((raw, index) => block(raw, index, ctx))
    .join('');
}

const ATTACHMENT_COLORS: Record<string, string> = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };

function attachment(raw: unknown, ctx: RenderContext): string {
  if (!isRecord(raw)) return '';
  const named = ATTACHMENT_COLORS[str(raw.color)];
  const color =
    named ?? (/^#?[0-9a-f]{6}$/i.test(str(raw.color)) ? `#${str(raw.color).replace('#', '')}` : '#dddddd');
  const parts = [
    raw.pretext ? `<div class="bk-text">${mrkdwn(str(raw.pretext), ctx)}</div>` : '',
    raw.title ? `<div class="bk-attachment-title">${escapeHtml(str(raw.title))}</div>` : '',
    raw.text ? `<div class="bk-text">${mrkdwn(str(raw.text), ctx)}</div>` : '',
    list(raw.fields).length
      ? `<div class="bk-fields">${list(raw.fields)
          .filter(isRecord)
          .map(
            (f) =>
              `<div class="bk-field"><b>${escapeHtml(str(f.title))}</b>\n${mrkdwn(str(f.value), ctx)}</div>`,
          )
          .join('')}</div>`
      : '',
    renderBlocks(raw.blocks, ctx),
    raw.footer ? `<div class="bk-context"><span>${escapeHtml(str(raw.footer))}</span></div>` : '',
  ];
  return `<div class="bk-attachment" style="border-left-color:${color}">${parts.join('')}</div>`;
}

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A shared file as Slack shows it: its title, then an image scaled to fit (at its own size at most), or a card. */
export function renderFile(file: MessageFile, ctx: RenderContext): string {
  const url = ctx.fileUrl?.(file.id);
  const title = `<div class="bk-file-title">${escapeHtml(file.title || file.name)}</div>`;
  if (url && file.mimetype.startsWith('image/')) {
    const size = file.imageSize ? ` width="${file.imageSize.width}" height="${file.imageSize.height}"` : '';
    const alt = escapeHtml(file.altText ?? file.title);
    return `<figure class="bk-file bk-file-image">${title}<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer"><img src="${escapeHtml(url)}" alt="${alt}" title="${alt}"${size}></a></figure>`;
  }
  const kind = escapeHtml((file.name.split('.').pop() ?? '').toUpperCase() || 'FILE');
  const link = url ? ` href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer"` : '';
  return `<a class="bk-file bk-file-card"${link}><span class="bk-file-icon">${kind}</span><span>${title}<span class="bk-file-meta">${kind} · ${fileSize(file.size)}</span></span></a>`;
}

/** A message as Slack shows it: its blocks (the text is then only the notification), else its text; then its files. */
export function renderMessageContent(
  content: { text?: string; blocks?: unknown[]; attachments?: unknown[]; files?: MessageFile[] },
  ctx: RenderContext,
): string {
  const body =
    content.blocks && content.blocks.length > 0
      ? renderBlocks(content.blocks, ctx)
      : content.text
        ? `<div class="bk-block bk-text">${mrkdwn(content.text, ctx)}</div>`
        : '';
  return (
    body +
    list(content.attachments)
      .map((raw) => attachment(raw, ctx))
      .join('') +
    (content.files ?? []).map((file) => renderFile(file, ctx)).join('')
  );
}

/** A card an app unfurled a link into, under the message it is in; its buttons know which link it is. */
export function renderUnfurl(url: string, blocks: unknown[], ctx: RenderContext): string {
  return `<div class="bk-attachment bk-unfurl" data-unfurl-url="${escapeHtml(url)}" style="border-left-color:#dddddd">${renderBlocks(blocks, ctx)}</div>`;
}

export interface RenderedView {
  id: string;
  type: 'modal' | 'home';
  title: string;
  submit?: string;
  close: string;
  html: string;
}

/** A modal or Home tab: title and button labels (HTML) and its blocks. */
export function renderView(
  view: { id: string; type: string; title?: unknown; submit?: unknown; close?: unknown; blocks: unknown[] },
  ctx: RenderContext,
): RenderedView {
  return {
    id: view.id,
    type: view.type === 'home' ? 'home' : 'modal',
    title: plain(view.title),
    ...(view.submit ? { submit: plain(view.submit) } : {}),
    close: view.close ? plain(view.close) : 'Cancel',
    html: renderBlocks(view.blocks, ctx),
  };
}
