import { ManifestError } from '../errors.js';
import { formatIssue } from '../manifest/format-issue.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ExpandedManifest } from '../manifest/types.js';
import type { CliIo } from './io.js';

/**
 * The manifest, valid, or every problem on stderr (one positioned line each) and one
 * ManifestError; warnings go to stderr too. For commands that need only the manifest.
 */
export async function loadValidManifest(file: string, io: CliIo): Promise<ExpandedManifest> {
  const loaded = await loadManifest(file, { now: new Date(), cwd: io.cwd });
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.stderr.write(`${formatIssue(issue)}\n`);
    throw new ManifestError(`${file} is not valid; nothing was changed`);
  }
  for (const warning of loaded.warnings) io.stderr.write(`${formatIssue(warning)}\n`);
  return loaded.manifest;
}
