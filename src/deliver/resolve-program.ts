import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { DeliveryTarget } from '../model/index.js';

/**
 * The absolute path of a target's program, or `null` when there is none: a name with a `/`
 * is a path relative to the manifest's folder; a bare name is looked up on `PATH`, as
 * `execvp` would. Checked at plan time, so a missing store CLI fails the plan, not the apply
 * after tokens were created; the apply runs the path found then.
 */
export function resolveProgram(
  target: Pick<DeliveryTarget, 'command'>,
  folder: string,
  env: NodeJS.ProcessEnv,
): string | null {
  const program = target.command[0] ?? '';
  if (program === '') return null;
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(folder, program);
    return isExecutableFile(path) ? path : null;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, program);
    if (isExecutableFile(path)) return isAbsolute(path) ? path : resolve(folder, path);
  }
  return null;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
