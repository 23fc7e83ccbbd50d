import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';

/** A throwaway age identity written to `dir` (0600) and its public recipient. */
export async function makeAgeKey(
  dir: string,
): Promise<{ identityFile: string; recipient: string; identity: string }> {
  const identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  const identityFile = join(dir, 'key.txt');
  writeFileSync(identityFile, `# test identity\n${identity}\n`, { mode: 0o600 });
  return { identityFile, recipient, identity };
}

/**
 * Whether the stock `age` command-line tool is installed: checks that use it to prove
 * interoperability skip (with their reason in the title) where it is not; CI installs it.
 */
export const hasAge = spawnSync('age', ['--version']).status === 0;
