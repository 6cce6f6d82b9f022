/** views.*: modals opened with a fresh trigger_id, pushed (at most 3), updated by id or external_id, Home tabs. */
import type { StoredView } from '../model';
import { viewRefusal } from '../validation';
import type { ViewStore } from '../views';
import { refuse, refuseWith, type WebMethod } from './context';

/** The view argument, once viewRefusal has accepted it as an object. */
function viewArg(view: unknown): Record<string, unknown> {
  return view as Record<string, unknown>;
}

/** views.open and views.push: a fresh trigger_id names the person, then the modal goes in their stack. */
function fromTrigger(
  place: (views: ViewStore, user: string, view: Record<string, unknown>) => StoredView | 'push_limit_reached',
): WebMethod {
  return {
    run({ views, triggers }, args) {
      const refusal = viewRefusal(args.json('view'), 'modal');
      if (refusal) return refuseWith(refusal);
      const trigger = triggers.redeem(args.str('trigger_id'));
      if ('error' in trigger) return refuse(trigger.error);
      const view = place(views, trigger.user, viewArg(args.json('view')));
      return typeof view === 'string' ? refuse(view) : { ok: true, view };
    },
  };
}

export const viewMethods: Record<string, WebMethod> = {
  'views.open': fromTrigger((views, user, view) => views.open(user, view)),
  'views.push': fromTrigger((views, user, view) => views.push(user, view)),

  'views.update': {
    run({ views }, args) {
      const location = views.find({ id: args.str('view_id'), externalId: args.str('external_id') });
      if (!location) return refuse('not_found');
      const hash = args.str('hash');
      if (hash && hash !== location.view.hash) return refuse('hash_conflict');
      const refusal = viewRefusal(args.json('view'), location.view.type);
      if (refusal) return refuseWith(refusal);
      return { ok: true, view: views.update(location, viewArg(args.json('view'))) };
    },
  },

  'views.publish': {
    run({ views, workspace }, args) {
      const user = args.str('user_id') ?? '';
      if (!workspace.user(user)) return refuse('user_not_found');
      const hash = args.str('hash');
      const current = views.home(user);
      if (hash && current && hash !== current.hash) return refuse('hash_conflict');
      const refusal = viewRefusal(args.json('view'), 'home');
      if (refusal) return refuseWith(refusal);
      return { ok: true, view: views.publish(user, viewArg(args.json('view'))) };
    },
  },
};
