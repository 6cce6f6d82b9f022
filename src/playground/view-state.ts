/**
 * What the page's modal inputs hold → the `view.state.values` Slack sends with a view_submission or a
 * block action in a view: every input block reported (untouched ones empty), options as the view defined
 * them, conversations, people, dates and times under their own keys.
 */
import type { StoredView } from '../slack-standin';
import { findOption, inputIds } from './blockkit';

/** One input as the page read it: a text, one chosen value, or several. */
export interface PageInput {
  blockId: string;
  actionId: string;
  value?: string;
  values?: string[];
}

type Values = StoredView['state']['values'];
type Json = Record<string, unknown>;

const SINGLE_KEYS: Record<string, string> = {
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  users_select: 'selected_user',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
};

const MULTI_KEYS: Record<string, string> = {
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
  multi_users_select: 'selected_users',
};

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One element's state as Slack reports it (in view.state, and in a block action's action). */
export function elementState(element: Json, input: PageInput | undefined): Json {
  const type = String(element.type ?? '');
  const value = input?.value ?? input?.values?.[0] ?? '';
  const values = input?.values ?? (input?.value ? [input.value] : []);
  const options = () => values.map((v) => findOption(element, v)).filter((option) => option !== undefined);
  if (type === 'static_select' || type === 'external_select' || type === 'radio_buttons')
    return { type, selected_option: (value && findOption(element, value)) || null };
  if (type === 'multi_static_select' || type === 'checkboxes') return { type, selected_options: options() };
  const single = SINGLE_KEYS[type];
  if (single) return { type, [single]: value || null };
  const multi = MULTI_KEYS[type];
  if (multi) return { type, [multi]: values };
  return { type, value: value === '' ? null : value };
}

export function stateValues(blocks: unknown[], inputs: PageInput[]): Values {
  const values: Values = {};
  blocks.forEach((block, index) => {
    if (!isRecord(block) || block.type !== 'input' || !isRecord(block.element)) return;
    const { blockId, actionId } = inputIds(block, index, block.element);
    const input = inputs.find(
      (candidate) => candidate.blockId === blockId && candidate.actionId === actionId,
    );
    values[blockId] = { [actionId]: elementState(block.element, input) };
  });
  return values;
}
