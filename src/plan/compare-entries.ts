/** What every plan entry has, tokens and databases alike. */
interface PlanEntry {
  name: string;
  team: string | null;
  action: string;
  actions: readonly string[];
  reasonCode: string;
}

/**
 * A saved plan's list against a fresh plan's, entry for entry: the first difference as one
 * phrase (`change 3 ("grafana"): the action is …`), or `null`. `kind` names the entries
 * (`change`, `database`); `compare` checks what is particular to them once the shared
 * fields (`sameIdentity`) match.
 */
export function findEntryDifference<T extends PlanEntry>(
  kind: 'change' | 'database',
  saved: readonly T[],
  fresh: readonly T[],
  compare: (saved: T, fresh: T) => string | null,
): string | null {
  const count = Math.max(saved.length, fresh.length);
  for (let index = 0; index < count; index++) {
    const a = saved[index];
    const b = fresh[index];
    if (a === undefined || b === undefined) {
      const extra = (a ?? b) as T;
      const where = a === undefined ? 'only a fresh plan has' : 'only the saved plan has';
      return `${kind} ${index + 1}: ${where} ${extra.action} "${extra.name}" (the saved plan has ${saved.length} ${kind === 'change' ? 'changes' : 'databases'}, a fresh plan ${fresh.length})`;
    }
    const difference = sameIdentity(kind, a, b) ?? compare(a, b);
    if (difference !== null) return `${kind} ${index + 1} ("${b.name}"): ${difference}`;
  }
  return null;
}

function sameIdentity(
  kind: 'change' | 'database',
  saved: PlanEntry,
  fresh: PlanEntry,
): string | null {
  const name = kind === 'change' ? 'the token name' : 'the database name';
  if (saved.name !== fresh.name) return differs(name, saved.name, fresh.name);
  if (saved.action !== fresh.action) return differs('the action', saved.action, fresh.action);
  if (saved.team !== fresh.team) return differs('the team', saved.team, fresh.team);
  if (saved.actions.join(',') !== fresh.actions.join(',')) {
    return differs('the actions', saved.actions.join('+'), fresh.actions.join('+'));
  }
  if (saved.reasonCode !== fresh.reasonCode) {
    return differs('the reason', saved.reasonCode, fresh.reasonCode);
  }
  return null;
}

/** `WHAT is "a" in the saved plan, "b" in a fresh plan`. */
export function differs(what: string, saved: string | null, fresh: string | null): string {
  return `${what} is ${JSON.stringify(saved)} in the saved plan, ${JSON.stringify(fresh)} in a fresh plan`;
}
