/**
 * The message box: what Slack does with what is typed. A leading "/" makes it a command (known or not);
 * anything else is a message from the person, which the bot never sees (it subscribes to no message events),
 * except its links to DataArts consoles, which Slack hands the app to unfurl.
 */
import { CONSOLE_HOSTS } from '../config';
import { COMMAND } from '../slack/ids';
import { unfurlsHost } from '../slack/services/unfurl';

export type ComposerInput =
  | { kind: 'empty' }
  | { kind: 'command'; command: string; text: string }
  | { kind: 'unknown_command'; command: string }
  | { kind: 'message'; text: string };

export function readComposer(raw: string): ComposerInput {
  const text = raw.trim();
  if (!text) return { kind: 'empty' };
  const slash = /^(\/\S+)(?:\s+([\s\S]*))?$/.exec(text);
  if (!slash) return { kind: 'message', text: raw.replace(/^\s*\n|\s+$/g, '') };
  const command = slash[1]!.toLowerCase();
  if (command !== COMMAND) return { kind: 'unknown_command', command: slash[1]! };
  return { kind: 'command', command, text: (slash[2] ?? '').trim() };
}

/** Slack's own answer to a command no app provides (mrkdwn). */
export function unknownCommandNotice(command: string): string {
  return (
    `\`${command.replace(/`/g, "'")}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.\n` +
    `This playground has one: \`${COMMAND}\`. Try \`${COMMAND} job_batch 34765\`.`
  );
}

/** The playground's hint under a plain message (mrkdwn). */
export const MESSAGE_NOTICE =
  `Posted as you. dlf-bot does not read messages: type \`${COMMAND} job_batch 34765\`, ` +
  'or use *⋯ → Track DLF instance* on a message that names a job and an instance.';

/** Slack's words when the app did not answer a command with a 200 (status 0: no answer at all). */
export function failedCommandNotice(command: string, status: number): string {
  return `\`${command}\` failed with the error "dispatch_failed"${status ? ` (the app answered HTTP ${status})` : ''}.`;
}

/** The links Slack hands the app in link_shared: those on the hosts it unfurls (manifest.yml's unfurl_domains). */
export function consoleLinks(text: string): string[] {
  const urls = new Set([...text.matchAll(/https?:\/\/[^\s<>|]+/g)].map((match) => match[0]));
  return [...urls].filter((url) => {
    try {
      return unfurlsHost(new URL(url).hostname, CONSOLE_HOSTS);
    } catch {
      return false;
    }
  });
}
