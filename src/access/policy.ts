/**
 * Who and what the bot serves: the Slack team it is installed in (or its enterprise, for an org-wide install)
 * plus SLACK_ALLOWED_TEAMS; people of another organisation in a shared channel only with
 * DLF_ALLOW_EXTERNAL_USERS; the DataArts workspaces of DLF_WORKSPACES (unset: only DLF_WORKSPACE). Pure decisions;
 * the Slack middleware and the listeners act on them.
 */

export interface AccessSettings {
  /** SLACK_ALLOWED_TEAMS: more team (T…) or enterprise (E…) ids served besides the installing one. */
  allowedTeams: string[];
  /** DLF_ALLOW_EXTERNAL_USERS: people of another organisation in a shared channel may look up and follow. */
  allowExternalUsers: boolean;
  /** DLF_WORKSPACES; undefined: only `defaultWorkspace`. */
  workspaces?: string[];
  /** DLF_WORKSPACE: the one used when a person names none (undefined: DataArts' default workspace). */
  defaultWorkspace?: string;
}

/** Where a request comes from, as its payload says. */
export interface Origin {
  /** The workspace the request was made in. */
  team?: string;
  enterprise?: string;
  /** The acting person's own team (differs from `team` for someone of another organisation in a shared channel). */
  userTeam?: string;
  userEnterprise?: string;
}

/** The installing team, from auth.test. */
export interface Installation {
  teamId: string;
  enterpriseId?: string;
}

export type Refusal = 'other-team' | 'external-user';

export class AccessPolicy {
  private readonly teams: Set<string>;
  private readonly workspaces: Set<string> | undefined;

  constructor(
    readonly settings: AccessSettings,
    private readonly installation: () => Installation | undefined,
  ) {
    this.teams = new Set(settings.allowedTeams);
    this.workspaces = settings.workspaces && new Set(settings.workspaces);
  }

  /** Whether a team (or enterprise) id is the installing one or an allowed one. */
  private ours(team: string | undefined, enterprise: string | undefined): boolean {
    const installed = this.installation();
    if (team && (team === installed?.teamId || this.teams.has(team))) return true;
    if (enterprise && (enterprise === installed?.enterpriseId || this.teams.has(enterprise))) return true;
    return false;
  }

  /** Why a request is refused before anything is read, or undefined when it is served. */
  refusal(origin: Origin): Refusal | undefined {
    // Until Slack has said who the bot is, nothing can be told apart: Bolt's authorize waits for it first.
    if (!this.installation()) return undefined;
    if (!this.ours(origin.team, origin.enterprise)) return 'other-team';
    if (this.isExternal(origin) && !this.settings.allowExternalUsers) return 'external-user';
    return undefined;
  }

  /** Someone of another organisation (Slack Connect): never allowed to write to DataArts, whatever is set. */
  isExternal(origin: Origin): boolean {
    if (!origin.userTeam && !origin.userEnterprise) return false;
    return !this.ours(origin.userTeam, origin.userEnterprise);
  }

  /** Whether people may name this DataArts workspace (undefined: the default one, always allowed). */
  workspaceAllowed(workspace: string | undefined): boolean {
    if (workspace === undefined || workspace === this.settings.defaultWorkspace) return true;
    return this.workspaces?.has(workspace) ?? false;
  }
}

/** The origin of a Slack request body (slash command form, interaction payload or event envelope). */
export function originOf(body: unknown): Origin {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const obj = (value: unknown) =>
    value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  const team = obj(b.team);
  const enterprise = obj(b.enterprise);
  const user = obj(b.user);
  if (typeof b.command === 'string') {
    return {
      team: str(b.team_id),
      enterprise: str(b.enterprise_id),
      userTeam: str(b.user_team_id) ?? str(b.user_team),
    };
  }
  if (b.type === 'event_callback') {
    const authorization = obj(Array.isArray(b.authorizations) ? b.authorizations[0] : undefined);
    const event = obj(b.event);
    return {
      team: str(b.team_id) ?? str(authorization?.team_id),
      enterprise: str(b.enterprise_id) ?? str(authorization?.enterprise_id),
      userTeam: str(event?.user_team) ?? str(obj(event?.user)?.team_id),
    };
  }
  return {
    team: str(team?.id) ?? str(obj(b.view)?.app_installed_team_id),
    enterprise: str(enterprise?.id) ?? str(team?.enterprise_id),
    userTeam: str(user?.team_id),
    userEnterprise: str(user?.enterprise_id),
  };
}
