import type { DatabaseSettings } from '../../model/index.js';
import { describeRetention, describeTemplate } from '../../plan/index.js';
import type { DatabaseSnapshot, Plan, PlannedDatabaseChange } from '../../plan/index.js';
import { count } from './plan-words.js';

/** The words text and markdown share for the database section. */

/**
 * Whether a person's plan talks about databases: when one changes, or one is declared with
 * settings. A manifest that only names its teams' databases, all of them there already, reads
 * as it did before databases were declared (its JSON plan still counts them).
 */
export function showsDatabases(plan: Plan): boolean {
  return plan.databases.some(
    (change) => change.action !== 'no-op' || Object.keys(change.after).length > 0,
  );
}

/** `retention: 30d`, `max tables: 100`, …: one phrase per declared setting. */
export function settingsPhrases(settings: DatabaseSettings): string[] {
  const phrases: string[] = [];
  if (settings.retentionPeriod !== undefined)
    phrases.push(`retention: ${describeRetention(settings.retentionPeriod)}`);
  if (settings.maxTables !== undefined) phrases.push(`max tables: ${settings.maxTables}`);
  if (settings.maxColumnsPerTable !== undefined)
    phrases.push(`max columns per table: ${settings.maxColumnsPerTable}`);
  if (settings.partitionTemplate !== undefined)
    phrases.push(`partition template: ${describeTemplate(settings.partitionTemplate)}`);
  return phrases;
}

/** `retention: 7d → 30d`, one phrase per field the PATCH changes. */
export function updatePhrases(change: PlannedDatabaseChange): string[] {
  const before: DatabaseSnapshot | null = change.before;
  const patch = change.patch ?? {};
  if (before === null) return [];
  const phrases: string[] = [];
  if (patch.retentionPeriod !== undefined) {
    phrases.push(
      `retention: ${describeRetention(before.retentionPeriod)} → ${describeRetention(patch.retentionPeriod)}`,
    );
  }
  if (patch.maxTables !== undefined)
    phrases.push(`max tables: ${before.maxTables} → ${patch.maxTables}`);
  if (patch.maxColumnsPerTable !== undefined) {
    phrases.push(
      `max columns per table: ${before.maxColumnsPerTable} → ${patch.maxColumnsPerTable}`,
    );
  }
  return phrases;
}

/**
 * `3 databases unchanged.` and the never-deleted line for databases the manifest leaves out,
 * when the manifest declares any.
 */
export function databaseFootnotes(plan: Plan, showUnmanaged: boolean): string[] {
  if (!showsDatabases(plan)) return [];
  const lines: string[] = [];
  const { noop } = plan.summary.databases;
  if (noop > 0) lines.push(`${count(noop, 'database')} unchanged.`);
  const names = plan.unmanagedDatabases;
  if (names.length === 0) return lines;
  const head = `${count(names.length, 'database')} in the cluster ${names.length === 1 ? 'is' : 'are'} not in the manifest; provision never deletes databases`;
  if (!showUnmanaged) {
    lines.push(`${head} (--show-unmanaged lists ${names.length === 1 ? 'it' : 'them'}).`);
  } else {
    lines.push(`${head}:`, ...names.map((name) => `    ${JSON.stringify(name)}`));
  }
  return lines;
}
