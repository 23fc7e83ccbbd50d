// A throwaway age identity, generated at run time and never committed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';

/** Writes a fresh identity to `dir/key.txt` (0600); resolves it and its recipient. */
export async function makeAgeKey(dir) {
  const identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  const identityFile = join(dir, 'key.txt');
  writeFileSync(identityFile, `# bench identity\n${identity}\n`, { mode: 0o600 });
  return { identity, recipient, identityFile };
}
