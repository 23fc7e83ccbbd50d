import { createColors } from 'picocolors';
import type { Plan, PlannedDatabaseChange } from '../../plan/index.js';
import { settingsPhrases, updatePhrases } from './database-words.js';
import { CONDENSE_ABOVE, count } from './plan-words.js';

type Colors = ReturnType<typeof createColors>;

/**
 * The database section of a text plan, before the tokens (which may need these databases):
 * `+` create with the declared settings, `~` update with each changed field. Above
 * `CONDENSE_ABOVE` databases (unless `verbose`), creates are counted and updates listed.
 * Names are JSON-quoted only when they hold anything but plain name characters.
 */
export function renderDatabaseSection(plan: Plan, color: boolean, verbose: boolean): string[] {
  const c = createColors(color);
  const pending = plan.databases.filter((change) => change.action !== 'no-op');
  if (pending.length === 0) return [];
  const lines = ['', c.bold('# databases')];
  const condensed = !verbose && pending.length > CONDENSE_ABOVE;
  const creates = pending.filter((change) => change.action === 'create');
  if (condensed) {
    lines.push(
      `${c.green('  +')} ${count(creates.length, 'database')} to create (--verbose lists them)`,
    );
  }
  for (const change of pending) {
    if (condensed && change.action === 'create') continue;
    lines.push(...renderDatabase(change, c));
  }
  return lines;
}

function renderDatabase(change: PlannedDatabaseChange, c: Colors): string[] {
  const team = change.team === null ? '' : ` (team ${change.team})`;
  const symbol = change.action === 'create' ? c.green('  +') : c.yellow('  ~');
  const lines = [`${symbol} ${c.bold(showName(change.name))}${team}`];
  const phrases =
    change.action === 'create' ? settingsPhrases(change.after) : updatePhrases(change);
  if (change.action === 'create' && phrases.length === 0)
    phrases.push("settings: the service's defaults");
  for (const phrase of phrases) lines.push(`      ${phrase}`);
  return lines;
}

// Database names may hold characters a terminal would act on: quote anything unusual.
function showName(name: string): string {
  return /^[\w.-]+$/.test(name) ? name : JSON.stringify(name);
}
