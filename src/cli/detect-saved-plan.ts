import { resolve } from 'node:path';
import { READ_LIMITS, readRegularFile } from '../files/index.js';

/**
 * Whether `-f FILE` names a saved plan rather than a manifest: a `.json` file whose content
 * is a provision plan (`formatVersion` and `changes`). A JSON manifest is valid YAML, so the
 * extension alone cannot decide; anything unreadable is left to the manifest loader to report.
 */
export async function isSavedPlanFile(file: string, cwd: string): Promise<boolean> {
  if (!file.toLowerCase().endsWith('.json')) return false;
  const read = await readRegularFile(resolve(cwd, file), READ_LIMITS.planBytes);
  if (!read.ok) return false;
  try {
    const document = JSON.parse(read.bytes.toString('utf8')) as unknown;
    return (
      typeof document === 'object' &&
      document !== null &&
      'formatVersion' in document &&
      'changes' in document &&
      Array.isArray(document.changes)
    );
  } catch {
    return false;
  }
}
