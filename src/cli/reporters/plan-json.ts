import { serialisePlan } from '../../plan/index.js';
import type { Plan } from '../../plan/index.js';

/**
 * The plan as JSON: the documented format (`formatVersion`, `changes[]` with `name`,
 * `actions`, `before`, `after`, `reason`, and `summary`), pretty-printed in a stable key
 * order. The same bytes as a saved plan, so `plan --format json > plan.json` works too.
 */
export function renderPlanJson(plan: Plan): string {
  return serialisePlan(plan);
}
