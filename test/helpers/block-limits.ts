/** Slack's Block Kit limits (docs plus the undocumented ~12k total text ceiling), checked on rendered blocks. */
import type { KnownBlock, View } from '@slack/types';

export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };
/** Our budget under the undocumented `msg_blocks_too_long` ceiling (about 12–13.3k characters). */
export const TOTAL_TEXT_BUDGET = 11_000;

function texts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) texts(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, field] of Object.entries(value)) {
      if (key === 'text' && typeof field === 'string') out.push(field);
      else texts(field, out);
    }
  }
  return out;
}

export function blockLimitProblems(blocks: readonly KnownBlock[], surface: Surface): string[] {
  const problems: string[] = [];
  if (blocks.length > MAX_BLOCKS[surface]) problems.push(`${blocks.length} blocks > ${MAX_BLOCKS[surface]}`);
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const where = `block ${index} (${block.type})`;
    if (block.block_id) {
      if (blockIds.has(block.block_id)) problems.push(`${where}: duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
      if (block.block_id.length > 255) problems.push(`${where}: block_id > 255`);
    }
    if (block.type === 'header' && block.text.text.length > 150) problems.push(`${where}: header > 150`);
    if (block.type === 'section') {
      if (block.text && (block.text.text.length > 3000 || block.text.text.length < 1)) {
        problems.push(`${where}: section text ${block.text.text.length} not in 1..3000`);
      }
      if (block.fields && block.fields.length > 10)
        problems.push(`${where}: ${block.fields.length} fields > 10`);
      for (const field of block.fields ?? [])
        if (field.text.length > 2000) problems.push(`${where}: field > 2000`);
    }
    if (block.type === 'context' && block.elements.length > 10)
      problems.push(`${where}: context > 10 elements`);
    if (block.type === 'actions') {
      if (block.elements.length > 25) problems.push(`${where}: actions > 25`);
      const actionIds = new Set<string>();
      for (const element of block.elements) {
        const id = (element as { action_id?: string }).action_id ?? '';
        if (actionIds.has(id)) problems.push(`${where}: duplicate action_id ${id}`);
        actionIds.add(id);
        if (id.length > 255) problems.push(`${where}: action_id > 255`);
        if (element.type === 'button') {
          if (element.text.text.length > 75) problems.push(`${where}: button text > 75`);
          if ((element.value ?? '').length > 2000) problems.push(`${where}: button value > 2000`);
          if ((element.url ?? '').length > 3000) problems.push(`${where}: button url > 3000`);
          const { confirm } = element;
          if (confirm) {
            if ((confirm.title?.text.length ?? 0) > 100) problems.push(`${where}: confirm title > 100`);
            if ((confirm.text?.text.length ?? 0) > 300) problems.push(`${where}: confirm text > 300`);
            if ((confirm.confirm?.text.length ?? 0) > 30) problems.push(`${where}: confirm button > 30`);
            if ((confirm.deny?.text.length ?? 0) > 30) problems.push(`${where}: deny button > 30`);
          }
        }
      }
    }
  });
  const total = texts(blocks).reduce((sum, text) => sum + text.length, 0);
  if (surface === 'message' && total > TOTAL_TEXT_BUDGET)
    problems.push(`total text ${total} > ${TOTAL_TEXT_BUDGET}`);
  return problems;
}

export function viewLimitProblems(view: View): string[] {
  const surface: Surface = view.type === 'home' ? 'home' : 'modal';
  const problems = blockLimitProblems(view.blocks as KnownBlock[], surface);
  if (view.type === 'modal') {
    if (view.title.text.length > 24) problems.push(`modal title "${view.title.text}" > 24`);
    if ((view.submit?.text.length ?? 0) > 24) problems.push('submit > 24');
    if ((view.close?.text.length ?? 0) > 24) problems.push('close > 24');
  }
  if ((view.private_metadata ?? '').length > 3000) problems.push('private_metadata > 3000');
  if (JSON.stringify(view).length > 250_000) problems.push('view > 250 kB');
  return problems;
}
