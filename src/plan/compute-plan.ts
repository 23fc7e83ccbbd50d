import { checkDatabases } from './check-databases.js';
import { diffDatabases } from './diff-databases.js';
import { selectDatabases } from './select-databases.js';
import { claimTokens } from './claim-tokens.js';
import { chooseKeeper } from './choose-keeper.js';
import { classifyTokens, type ManagedToken } from './classify-tokens.js';
import { diffToken } from './diff-token.js';
import { createChange, protectedDuplicates, resolveExtras, revoke } from './build-changes.js';
import { checkPastExpiries, checkReplaceNames, replaceContext } from './check-plan-options.js';
import { fingerprintCluster } from './fingerprint-cluster.js';
import { selectOnly } from './select-only.js';
import { sortChanges, summarisePlan } from './summarise-plan.js';
import { targetTakes, type DeliveryTarget } from '../model/index.js';
import type { PlanInput, PlannedChange, PlanProblem, PlanResult, PlanWarning } from './types.js';

/**
 * The diff at the heart of provision: what must change in the cluster for it to match the
 * manifest. Pure: no clock, file, network or console; the same input gives the same plan.
 * The rules are the README's "How it works" and "Custody decides identity"; `problems` are reasons the plan must not be applied.
 */
export function computePlan(input: PlanInput): PlanResult {
  const { options, now } = input;
  const problems: PlanProblem[] = [];
  const warnings: PlanWarning[] = [];
  const changes: PlannedChange[] = [];
  const classified = classifyTokens(input.actual);

  const managedNames = new Set([
    ...classified.current.keys(),
    ...classified.retiring.map((t) => t.name),
  ]);
  const selection = selectOnly(options.only, input.desired, managedNames);
  problems.push(...selection.problems);
  warnings.push(...selection.warnings);
  const desired = selection.desired;
  const selected = (name: string): boolean => selection.names === null || selection.names.has(name);

  const replaceNames = checkReplaceNames(options.replace, input.desired, desired);
  problems.push(...replaceNames.problems);
  warnings.push(...replaceNames.warnings);
  problems.push(...checkPastExpiries(desired, now));
  const context = replaceContext(input);

  const current = new Map([...classified.current].filter(([name]) => selected(name)));
  const claims = claimTokens(desired, current);
  // Custody decides identity: a token whose string is sealed is kept over one no one holds.
  const sealed = new Set(options.sealedTokenIds ?? []);
  const extras = { isHeld: (token: { id: string }) => sealed.has(token.id), now };
  const choose = (group: readonly ManagedToken[]) =>
    chooseKeeper(group, (managed) => managed.token, extras.isHeld);
  desired.forEach((token, index) => {
    const choice = choose(claims.byDesired[index] ?? []);
    const { keeper, extra } = choice;
    if (keeper === undefined) {
      changes.push(createChange(token, classified.revokedNames));
      return;
    }
    if (extra.length > 0) {
      if (token.protect) problems.push(protectedDuplicates(token, extra.length));
      else pushAll(changes, resolveExtras(token.name, token.team, choice, extras, token));
    }
    const diff = diffToken(token, keeper, context);
    if ('problem' in diff) problems.push(diff.problem);
    else changes.push(diff.change);
  });

  const undeclared: string[] = [];
  for (const [name, group] of claims.undeclared) {
    const choice = choose(group);
    const { keeper } = choice;
    if (keeper === undefined) continue;
    pushAll(changes, resolveExtras(name, null, choice, extras));
    if (options.prune)
      changes.push(
        revoke(name, null, keeper, 'not-declared', 'no longer in the manifest, and --prune is on'),
      );
    else undeclared.push(name);
  }
  if (undeclared.length > 0) {
    undeclared.sort();
    warnings.push({ code: 'not-declared', names: undeclared });
  }

  const retiring = [];
  for (const token of classified.retiring) {
    if (!selected(token.name)) continue;
    if (Date.parse(token.retireAt) <= now.getTime()) {
      changes.push(
        revoke(token.name, null, token, 'overlap-ended', `overlap ended at ${token.retireAt}`),
      );
    } else retiring.push({ name: token.name, id: token.token.id, retireAt: token.retireAt });
  }
  retiring.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));

  // Declared databases are created before any token needs them: they count as present.
  const declared = input.desiredDatabases ?? [];
  const databaseSection = diffDatabases(
    selectDatabases(options.only, declared, desired),
    input.databases,
  );
  problems.push(...databaseSection.problems);
  const databases = checkDatabases(
    desired,
    [...input.databases.map((database) => database.name), ...declared.map((d) => d.name)],
    options.allowMissingDatabases === true,
  );
  problems.push(...databases.problems);
  warnings.push(...databases.warnings);

  sortChanges(changes);
  noteDeliveries(changes, input.deliveryTargets ?? []);
  const unmanaged = classified.unmanaged
    .map((token) => ({
      id: token.id,
      description: token.description,
      permissions: token.permissions.map((p) => ({ ...p })),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    plan: {
      formatVersion: 1,
      createdAt: now.toISOString(),
      target: { ...input.target },
      manifest: { ...input.manifest },
      cluster: { fingerprint: fingerprintCluster(input.actual, input.databases) },
      options: {
        prune: options.prune,
        replace: [...options.replace],
        only: [...options.only],
        expiringWithin: options.expiringWithin?.text ?? null,
        ...(options.allowMissingDatabases === true ? { allowMissingDatabases: true } : {}),
      },
      databases: databaseSection.changes,
      changes,
      unmanaged,
      unmanagedDatabases: databaseSection.unmanaged,
      retiring,
      warnings,
      summary: summarisePlan(changes, unmanaged.length, retiring.length, databaseSection),
    },
    problems,
  };
}

// A loop, not push(...items): a flood of duplicates must not overflow the stack.
function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** Each new token's delivery targets, so every form of the plan can say where it goes. */
function noteDeliveries(changes: PlannedChange[], targets: readonly DeliveryTarget[]): void {
  if (targets.length === 0) return;
  for (const change of changes) {
    if (change.action !== 'create' && change.action !== 'replace') continue;
    const names = targets.filter((target) => targetTakes(target, change.team)).map((t) => t.name);
    if (names.length > 0) change.deliverTo = names;
  }
}
