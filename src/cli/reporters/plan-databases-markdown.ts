import type { Plan } from '../../plan/index.js';
import {
  databaseFootnotes,
  settingsPhrases,
  showsDatabases,
  updatePhrases,
} from './database-words.js';
import { count } from './plan-words.js';

/** Most database rows a comment holds; the rest are counted (the artifact has them all). */
const MAX_ROWS = 200;

/**
 * The database section of a pull-request comment: one table row per create or update, the
 * unchanged and undeclared counts (never deleted), before the token tables. `escape` is the
 * comment's own, so a name cannot break the table.
 */
export function renderDatabaseMarkdown(
  plan: Plan,
  showUnmanaged: boolean,
  escape: (text: string) => string,
): string[] {
  const pending = plan.databases.filter((change) => change.action !== 'no-op');
  const out: string[] = [];
  if (pending.length > 0) {
    out.push('', '### Databases', '', '| | database | team | action | details |');
    out.push('| --- | --- | --- | --- | --- |');
    for (const change of pending.slice(0, MAX_ROWS)) {
      const details =
        change.action === 'create' ? settingsPhrases(change.after) : updatePhrases(change);
      const cells = [
        `\`${change.action === 'create' ? '+' : '~'}\``,
        escape(change.name),
        change.team === null ? '' : escape(change.team),
        change.action,
        details.map(escape).join('<br>'),
      ];
      out.push(`| ${cells.join(' | ')} |`);
    }
    if (pending.length > MAX_ROWS) {
      out.push('', `… and ${count(pending.length - MAX_ROWS, 'more database')}, in the full plan.`);
    }
  }
  const notes = databaseFootnotes(plan, false);
  if (notes.length > 0) out.push('', ...notes.map(escape));
  if (showUnmanaged && showsDatabases(plan) && plan.unmanagedDatabases.length > 0) {
    out.push('', '<details><summary>Databases not in the manifest</summary>', '');
    for (const name of plan.unmanagedDatabases) out.push(`- ${escape(name)}`);
    out.push('', '</details>');
  }
  return out;
}
