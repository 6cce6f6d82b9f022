/** Modals and Home tabs: each person's stack of open modals (at most 3) and their Home tab, with ids and hashes. */
import { randomBytes } from 'node:crypto';
import type { Feed, ViewEventType } from './feed';
import type { StoredView } from './model';
import { isRecord } from './validation';
import type { Workspace } from './workspace';

/** Slack lets an app stack at most three modals. */
export const MAX_MODAL_STACK = 3;

export interface ViewLocation {
  user: string;
  view: StoredView;
}

export class ViewStore {
  private readonly stacks = new Map<string, StoredView[]>();
  private readonly homes = new Map<string, StoredView>();
  private counter = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly clock: () => number,
    private readonly feed: Feed,
  ) {}

  /** The open modals of a person, bottom first (the last one is shown). */
  stack(user: string): StoredView[] {
    return [...(this.stacks.get(user) ?? [])];
  }

  home(user: string): StoredView | undefined {
    return this.homes.get(user);
  }

  find(match: { id?: string; externalId?: string }): ViewLocation | undefined {
    const hit = (view: StoredView) =>
      match.id ? view.id === match.id : !!match.externalId && view.external_id === match.externalId;
    for (const [user, stack] of this.stacks) {
      const view = stack.find(hit);
      if (view) return { user, view };
    }
    for (const [user, view] of this.homes) if (hit(view)) return { user, view };
    return undefined;
  }

  /** views.open: a new stack with this modal alone. */
  open(user: string, input: Record<string, unknown>): StoredView {
    const view = this.build(input, this.nextId(), null, null);
    this.stacks.set(user, [view]);
    return this.emit('view_opened', user, view);
  }

  /** views.push / response_action push: on top of the shown modal. */
  push(user: string, input: Record<string, unknown>): StoredView | 'push_limit_reached' {
    const stack = this.stacks.get(user) ?? [];
    if (stack.length >= MAX_MODAL_STACK) return 'push_limit_reached';
    const below = stack.at(-1);
    const view = this.build(input, this.nextId(), below?.root_view_id ?? null, below?.id ?? null);
    stack.push(view);
    this.stacks.set(user, stack);
    return this.emit('view_pushed', user, view);
  }

  /** views.update / response_action update: new content, same id and place, new hash. */
  update(location: ViewLocation, input: Record<string, unknown>): StoredView {
    const { user, view: old } = location;
    // The external_id names the view: it stays unless the new content gives another.
    const view = this.build(
      { external_id: old.external_id, ...input },
      old.id,
      old.root_view_id,
      old.previous_view_id,
    );
    if (old.type === 'home') this.homes.set(user, view);
    else {
      const stack = this.stacks.get(user) ?? [];
      stack[stack.indexOf(old)] = view;
    }
    return this.emit(old.type === 'home' ? 'home_published' : 'view_updated', user, view);
  }

  /** views.publish: the person's Home tab, keeping its id. */
  publish(user: string, input: Record<string, unknown>): StoredView {
    const view = this.build(input, this.homes.get(user)?.id ?? this.nextId(), null, null);
    this.homes.set(user, view);
    return this.emit('home_published', user, view);
  }

  /** Closes a modal and the ones stacked above it (the person pressed Close, or the app acknowledged a submission). */
  close(user: string, viewId: string): void {
    const stack = this.stacks.get(user) ?? [];
    const index = stack.findIndex((view) => view.id === viewId);
    if (index < 0) return;
    for (const view of stack.splice(index).reverse()) this.emit('view_closed', user, view);
  }

  /** response_action clear: every modal of the person. */
  clear(user: string): void {
    const bottom = this.stacks.get(user)?.[0];
    if (bottom) this.close(user, bottom.id);
  }

  /** How Slack treats the app's answer to a view_submission: errors keep it, update/push/clear, else it closes. */
  answerSubmission(user: string, viewId: string, answer: unknown): void {
    const body = isRecord(answer) ? answer : {};
    const view = isRecord(body.view) ? body.view : undefined;
    const location = this.find({ id: viewId });
    if (body.response_action === 'errors') return;
    if (body.response_action === 'update' && location && view) this.update(location, view);
    else if (body.response_action === 'push' && view) this.push(user, view);
    else if (body.response_action === 'clear') this.clear(user);
    else this.close(user, viewId);
  }

  private build(
    input: Record<string, unknown>,
    id: string,
    root: string | null,
    previous: string | null,
  ): StoredView {
    const { team, bot } = this.workspace;
    return {
      callback_id: '',
      private_metadata: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      ...structuredClone(input),
      type: input.type === 'home' ? 'home' : 'modal',
      blocks: Array.isArray(input.blocks) ? structuredClone(input.blocks) : [],
      id,
      team_id: team.id,
      app_installed_team_id: team.id,
      state: { values: {} },
      hash: `${Math.floor(this.clock() / 1000)}.${randomBytes(4).toString('hex')}`,
      root_view_id: root ?? id,
      previous_view_id: previous,
      app_id: bot.appId,
      bot_id: bot.botId,
    };
  }

  private nextId(): string {
    this.counter += 1;
    return `V${String(this.counter).padStart(10, '0')}`;
  }

  private emit(type: ViewEventType, user: string, view: StoredView): StoredView {
    this.feed.emit({ type, user, view: structuredClone(view) });
    return view;
  }
}
