/** The Web API method table: dispatch by name, with Slack's scope check and `unknown_method`. */
import type { Args } from '../args';
import type { SlackAnswer } from '../model';
import { chatMethods } from './chat';
import { type MethodContext, refuse, type WebMethod } from './context';
import { conversationMethods } from './conversations';
import { fileMethods } from './files';
import { identityMethods } from './identity';
import { viewMethods } from './views';

export type { MethodContext } from './context';

const METHODS = new Map<string, WebMethod>(
  Object.entries({
    ...identityMethods,
    ...chatMethods,
    ...conversationMethods,
    ...viewMethods,
    ...fileMethods,
  }),
);

/** The answer, and the scope the method needed (Slack reports it in `x-accepted-oauth-scopes`). */
export function callMethod(
  context: MethodContext,
  name: string,
  args: Args,
): { answer: SlackAnswer; neededScope?: string } {
  const method = METHODS.get(name);
  if (!method) return { answer: refuse('unknown_method', { req_method: name }) };
  const neededScope = method.scope?.(context, args);
  if (neededScope && !context.scopes.has(neededScope))
    return {
      answer: refuse('missing_scope', { needed: neededScope, provided: [...context.scopes].join(',') }),
      neededScope,
    };
  return { answer: method.run(context, args), neededScope };
}
