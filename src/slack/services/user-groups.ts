/**
 * Members of the Slack user groups DLF_OPERATORS names (`usergroups.users.list`, scope `usergroups:read`), kept
 * for a minute for what only decides what to show (whether to offer a confirmation); the decision to write to
 * DataArts reads them afresh (`fresh`), so a person removed from the group cannot act on a minute-old answer. A
 * group Slack will not list counts as empty (and is logged): a person is refused rather than allowed on a guess.
 */
import type { Logger } from '../../logger';
import { type SlackWeb, slackErrorCode } from '../web';

const KEEP_MS = 60_000;

export class UserGroups {
  private readonly cache = new Map<string, { members: Promise<ReadonlySet<string>>; at: number }>();

  constructor(
    private readonly web: SlackWeb,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  members(group: string, options: { fresh?: boolean } = {}): Promise<ReadonlySet<string>> {
    const now = this.clock();
    const known = this.cache.get(group);
    if (known && !options.fresh && now - known.at < KEEP_MS) return known.members;
    const members = this.fetch(group);
    this.cache.set(group, { members, at: now });
    return members;
  }

  private async fetch(group: string): Promise<ReadonlySet<string>> {
    try {
      const answer = await this.web.idempotent.usergroups.users.list({ usergroup: group });
      return new Set(answer.users ?? []);
    } catch (error) {
      // Not kept: the next press asks again.
      this.cache.delete(group);
      this.logger.warn({ group, slackError: slackErrorCode(error) }, 'could not list a user group’s members');
      return new Set();
    }
  }
}
