/**
 * The bot scopes manifest.yml asks for, each with what stops working without it: the doctor compares a token's
 * scopes with this list (test/cli/scopes.test.ts keeps it equal to the manifest's).
 */
export const BOT_SCOPES: readonly { scope: string; for: string }[] = [
  { scope: 'commands', for: 'the /dlf-instance command and both shortcuts' },
  { scope: 'chat:write', for: 'posting and updating every message' },
  { scope: 'channels:history', for: 'finding a thread reply whose answer was lost, in public channels' },
  { scope: 'groups:history', for: 'finding a thread reply whose answer was lost, in private channels' },
  {
    scope: 'channels:read',
    for: 'who is in a public channel, and whether the bot is (App Home, this doctor)',
  },
  { scope: 'groups:read', for: 'who is in a private channel, and whether the bot is' },
  { scope: 'files:write', for: "uploading pictures: the Timeline button's and the digest's chart" },
  { scope: 'usergroups:read', for: 'reading the members of the user groups DLF_OPERATORS names' },
  { scope: 'links:read', for: 'seeing console links pasted in channels (the link_shared event)' },
  { scope: 'links:write', for: 'unfurling console links into cards (chat.unfurl)' },
];

/** The scope the Timeline pictures need, checked on a line of its own. */
export const TIMELINE_SCOPE = 'files:write';
