import { resolve } from 'node:path';
import type { ExpandedManifest } from '../manifest/index.js';

/**
 * Where a team's new strings are sealed: the team's own file when the manifest has
 * `outputs.teamSecretsFile`, else the main file (`--secrets-file`, or `outputs.secretsFile`
 * relative to the manifest's folder). The one place that knows the path template: the apply
 * writes there and the planner looks there for sealed strings.
 */
export function secretsFileFor(
  manifest: ExpandedManifest,
  folder: string,
  team: string | null,
  mainFile?: string,
): string {
  const template = manifest.outputs.teamSecretsFile;
  if (team === null || template === null) {
    return mainFile ?? resolve(folder, manifest.outputs.secretsFile);
  }
  return resolve(folder, template.replaceAll('{team}', team));
}
