/** Slack's limits on messages and views that are cheap to check, refused with Slack's error codes and messages. */

export interface Refusal {
  error: string;
  /** Slack's `response_metadata.messages`: "[ERROR] … [json-pointer:/blocks/3/text/text]". */
  messages: string[];
}

const MESSAGE_BLOCKS = 50;
const VIEW_BLOCKS = 100;
/** Slack's undocumented ceiling on the text summed over a message's blocks (slackapi/bolt-js#2509). */
const TOTAL_BLOCK_TEXT = 12_000;
const MESSAGE_TEXT = 40_000;
const VIEW_TEXT_FIELD = 24;
const VIEW_BYTES = 250_000;

/** Per block type: a path inside the block and the most characters (string) or items (array) Slack accepts there. */
const BLOCK_LIMITS: Record<string, [path: string, max: number][]> = {
  header: [['text/text', 150]],
  section: [
    ['text/text', 3000],
    ['fields', 10],
  ],
  actions: [['elements', 25]],
  context: [['elements', 10]],
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function at(value: unknown, path: string): unknown {
  return path.split('/').reduce<unknown>((node, part) => (isRecord(node) ? node[part] : undefined), value);
}

function tooBig(value: unknown, max: number, pointer: string): string | undefined {
  if (typeof value === 'string' && value.length > max)
    return `[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}]`;
  if (Array.isArray(value) && value.length > max)
    return `[ERROR] no more than ${max} items allowed [json-pointer:${pointer}]`;
  return undefined;
}

function blockProblems(blocks: unknown[], max: number, pointer: string): string[] {
  const problems: string[] = [];
  const count = tooBig(blocks, max, pointer);
  if (count) problems.push(count);
  const ids = new Set<unknown>();
  blocks.forEach((block, index) => {
    const here = `${pointer}/${index}`;
    if (!isRecord(block) || typeof block.type !== 'string') {
      problems.push(`[ERROR] missing required field: type [json-pointer:${here}]`);
      return;
    }
    if (block.block_id !== undefined) {
      const long = tooBig(block.block_id, 255, `${here}/block_id`);
      if (long) problems.push(long);
      if (ids.has(block.block_id))
        problems.push(`[ERROR] duplicate block_id [json-pointer:${here}/block_id]`);
      ids.add(block.block_id);
    }
    for (const [path, limit] of BLOCK_LIMITS[block.type] ?? []) {
      const problem = tooBig(at(block, path), limit, `${here}/${path}`);
      if (problem) problems.push(problem);
    }
  });
  return problems;
}

/** The characters of every `text` string anywhere in the blocks. */
function textLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + textLength(item), 0);
  if (!isRecord(value)) return 0;
  return Object.entries(value).reduce(
    (sum, [name, field]) =>
      sum + (name === 'text' && typeof field === 'string' ? field.length : textLength(field)),
    0,
  );
}

export function messageRefusal(
  content: { text?: string; blocks?: unknown; attachments?: unknown; metadata?: unknown },
  options: { requireContent: boolean },
): Refusal | undefined {
  const { text, blocks, metadata } = content;
  if (options.requireContent && !text && blocks === undefined && content.attachments === undefined)
    return { error: 'no_text', messages: [] };
  if (text && text.length > MESSAGE_TEXT) return { error: 'msg_too_long', messages: [] };
  if (content.attachments !== undefined && !Array.isArray(content.attachments))
    return {
      error: 'invalid_attachments',
      messages: ['[ERROR] must be an array [json-pointer:/attachments]'],
    };
  if (blocks !== undefined) {
    if (!Array.isArray(blocks))
      return {
        error: 'invalid_blocks_format',
        messages: ['[ERROR] must be an array [json-pointer:/blocks]'],
      };
    const problems = blockProblems(blocks, MESSAGE_BLOCKS, '/blocks');
    if (problems.length > 0) return { error: 'invalid_blocks', messages: problems };
    const total = textLength(blocks);
    if (total > TOTAL_BLOCK_TEXT)
      return {
        error: 'msg_blocks_too_long',
        messages: [`[ERROR] blocks hold ${total} characters of text, more than ${TOTAL_BLOCK_TEXT}`],
      };
  }
  if (
    metadata !== undefined &&
    !(isRecord(metadata) && typeof metadata.event_type === 'string' && isRecord(metadata.event_payload))
  )
    return {
      error: 'invalid_metadata_format',
      messages: ['[ERROR] metadata needs event_type (string) and event_payload (object)'],
    };
  return undefined;
}

export function viewRefusal(view: unknown, expected: 'modal' | 'home'): Refusal | undefined {
  if (!isRecord(view))
    return {
      error: 'invalid_arguments',
      messages: ['[ERROR] missing required field: view [json-pointer:/view]'],
    };
  if (JSON.stringify(view).length > VIEW_BYTES) return { error: 'view_too_large', messages: [] };
  const problems: string[] = [];
  if (view.type !== expected) problems.push(`[ERROR] must be '${expected}' [json-pointer:/view/type]`);
  if (expected === 'modal') {
    if (typeof at(view, 'title/text') !== 'string')
      problems.push('[ERROR] missing required field: title [json-pointer:/view/title]');
    for (const field of ['title', 'submit', 'close']) {
      const problem = tooBig(at(view, `${field}/text`), VIEW_TEXT_FIELD, `/view/${field}/text`);
      if (problem) problems.push(problem);
    }
  }
  for (const [field, max] of [
    ['private_metadata', 3000],
    ['callback_id', 255],
    ['external_id', 255],
  ] as const) {
    const problem = tooBig(view[field], max, `/view/${field}`);
    if (problem) problems.push(problem);
  }
  if (!Array.isArray(view.blocks))
    problems.push('[ERROR] missing required field: blocks [json-pointer:/view/blocks]');
  else {
    problems.push(...blockProblems(view.blocks, VIEW_BLOCKS, '/view/blocks'));
    if (expected === 'modal' && !view.submit && view.blocks.some((b) => isRecord(b) && b.type === 'input'))
      problems.push('[ERROR] submit is required when input blocks are present [json-pointer:/view/submit]');
  }
  return problems.length > 0 ? { error: 'invalid_arguments', messages: problems } : undefined;
}
