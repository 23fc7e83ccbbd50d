import type { DeliveryTarget } from '../model/index.js';
import { resolveProgram } from './resolve-program.js';

/** A target whose program is missing, as the plan reports it. */
export interface MissingProgram {
  target: DeliveryTarget;
  message: string;
  hint: string;
}

/**
 * The programs of these targets, resolved (see `resolveProgram`), and one problem per target
 * whose program does not exist or cannot be run.
 */
export function checkDeliveryPrograms(
  targets: readonly DeliveryTarget[],
  folder: string,
  env: NodeJS.ProcessEnv,
): { programs: Map<string, string>; problems: MissingProgram[] } {
  const programs = new Map<string, string>();
  const problems: MissingProgram[] = [];
  for (const target of targets) {
    const found = resolveProgram(target, folder, env);
    if (found !== null) {
      programs.set(target.name, found);
      continue;
    }
    const program = target.command[0] ?? '';
    problems.push({
      target,
      message: `delivery target ${JSON.stringify(target.name)}: the program ${JSON.stringify(program)} does not exist or is not executable${program.includes('/') ? '' : ' (looked up on PATH)'}`,
      hint: program.includes('/')
        ? 'a path is relative to the manifest folder; check it and chmod +x'
        : `install ${program} where provision runs, or give its full path`,
    });
  }
  return { programs, problems };
}
