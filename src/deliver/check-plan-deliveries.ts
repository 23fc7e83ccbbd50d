import { targetTakes, type DeliveryTarget } from '../model/index.js';
import type { PlannedChange, PlanProblem } from '../plan/index.js';
import { checkDeliveryPrograms } from './check-delivery-programs.js';

/** The targets a planned change's new token goes to (none unless it creates or replaces). */
export function deliveryTargetsOf(
  change: Pick<PlannedChange, 'action' | 'team'>,
  targets: readonly DeliveryTarget[],
): DeliveryTarget[] {
  if (change.action !== 'create' && change.action !== 'replace') return [];
  return targets.filter((target) => targetTakes(target, change.team));
}

/**
 * Plan-time problems: a target that a new token of this plan goes to whose program does not
 * exist. Targets the plan does not use are not checked, so a plan with nothing new runs on a
 * machine without every store's CLI (a pull request's runner, say).
 */
export function checkPlanDeliveries(
  changes: readonly PlannedChange[],
  targets: readonly DeliveryTarget[],
  folder: string,
  env: NodeJS.ProcessEnv,
): PlanProblem[] {
  const used = new Set(changes.flatMap((change) => deliveryTargetsOf(change, targets)));
  const checked = targets.filter((target) => used.has(target));
  const { problems } = checkDeliveryPrograms(checked, folder, env);
  return problems.map(({ target, message, hint }) => ({ message, hint, source: target.source }));
}
