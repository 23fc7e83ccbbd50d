import type { Permission } from './tokens.js';

/**
 * One delivery target of `outputs.deliver`, as the manifest declared it (normalised): a
 * command, run without a shell, that receives a new token's record on stdin and puts it in
 * the team's own secret store.
 */
export interface DeliveryTarget {
  /** Its identity: delivery records in the secrets file name it. */
  name: string;
  /** argv; `command[0]` is the program (no placeholder), the rest may hold placeholders. */
  command: string[];
  /** `json`: the token's record as JSON on stdin; `string`: only the bare token string. */
  format: 'json' | 'string';
  /** Only tokens of these teams; `null`: every token, with or without a team. */
  teams: string[] | null;
  /** The deadline of one delivery: past it the command is killed and the delivery failed. */
  timeoutMs: number;
  /** Deliveries to this target running at once. */
  concurrency: number;
  /** Where the manifest names its program, for messages about it. */
  source: { file: string; line: number; column: number };
}

/** The placeholders a target's arguments may use. */
export const DELIVERY_PLACEHOLDERS = ['name', 'team', 'tokenId', 'database'] as const;
export type DeliveryPlaceholder = (typeof DELIVERY_PLACEHOLDERS)[number];

/** What fills the placeholders for one token. `team`/`database` are `null` where there is none. */
export interface DeliveryValues {
  name: string;
  team: string | null;
  tokenId: string;
  database: string | null;
}

/** Whether a target takes tokens of this team (`null`: a token without a team). */
export function targetTakes(target: Pick<DeliveryTarget, 'teams'>, team: string | null): boolean {
  return target.teams === null || (team !== null && target.teams.includes(team));
}

/**
 * A token's `{database}`: the one database its permissions name (read, write or both), or
 * `null` when it names none, several, or only `*`. One rule for validation (the manifest's
 * permissions) and delivery (the sealed record's), so they never disagree.
 */
export function singleDatabase(permissions: readonly Permission[]): string | null {
  const named = new Set(permissions.map((p) => p.resource).filter((r) => r !== '*'));
  return named.size === 1 ? ([...named][0] ?? null) : null;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Every `{name}` in an argument, in order. */
export function findDeliveryPlaceholders(argument: string): string[] {
  return [...argument.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/**
 * The argv for one token: each placeholder replaced by its value. Throws when a value is
 * missing; validation guarantees it never is for manifest-declared targets and tokens.
 */
export function fillCommand(command: readonly string[], values: DeliveryValues): string[] {
  return command.map((argument) =>
    argument.replace(PLACEHOLDER, (whole, name: string) => {
      const value = (values as unknown as Record<string, string | null | undefined>)[name];
      if (!(DELIVERY_PLACEHOLDERS as readonly string[]).includes(name) || value == null) {
        throw new Error(`no value for ${whole}`);
      }
      return value;
    }),
  );
}
