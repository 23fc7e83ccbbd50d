import { type Command, Option } from '@commander-js/extra-typings';
import { addPlanOptions, readPlanOptions } from './shared-options.js';
import type { RunCommand } from './run-command.js';

/** `provision plan`: what apply would change, shown or saved. */
export function definePlan(program: Command, run: RunCommand): void {
  const plan = program
    .command('plan')
    .description('show what apply would change')
    .option('--show-unmanaged', 'list unmanaged tokens')
    .option('--out <file>', 'save the plan for `apply plan.json`')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .option('--detailed-exitcode', 'exit 2 when the plan has changes')
    .option('--verbose', 'show every change in full, however many (else condensed above 50)');
  addPlanOptions(plan);
  plan.action((options) =>
    run(async () => (await import('../commands/plan.js')).planCommand, {
      ...options,
      ...readPlanOptions(options),
    }),
  );
}
