import { openKeyLines } from './open-key-lines.js';
import { HEADER_KEY_ID, type ParsedSecretsFile } from './parse-secrets-file.js';
import { noSuchFile, readSecretsFile } from './read-secrets-file.js';
import { checkSealedRecord } from './check-sealed-record.js';
import { resolveStanding } from './resolve-standing.js';
import type {
  DecryptedSecrets,
  ReadingKeys,
  SecretRecord,
  SecretsFileOptions,
  SkippedRecord,
} from './types.js';

/**
 * Decrypts a secrets file with the user's identities or passphrase. Each key line of the
 * keys' kind is opened (one scrypt per passphrase line) and kept only if its identity is its
 * `fileRecipient`; each sealed record is decrypted with its key and kept only if its payload
 * names the same token as its plaintext line. Everything else is skipped and named in
 * `skipped`, never fatal: one bad record does not hide the others. Throws only when the file
 * is missing, is not a secrets file, or the keys open nothing in it at all.
 */
export async function decryptSecrets(
  path: string,
  keys: ReadingKeys,
  options: SecretsFileOptions = {},
): Promise<DecryptedSecrets> {
  const label = options.label ?? path;
  const file = await readSecretsFile(path, label);
  if (file === null) throw noSuchFile(label);
  return decryptParsedSecrets(file, keys, label);
}

/** As `decryptSecrets`, on a file already read (reseal decrypts exactly the bytes it copies). */
export async function decryptParsedSecrets(
  file: ParsedSecretsFile,
  keys: ReadingKeys,
  label: string,
): Promise<DecryptedSecrets> {
  const opened = await openKeyLines(file, keys, label);
  const what = 'passphrase' in keys ? 'this passphrase' : 'this identity';
  const records: SecretRecord[] = [];
  // Token id → the data of its trusted line.
  const trusted = new Map<string, string>();
  const problems: SkippedRecord[] = [];
  for (const line of file.records) {
    // An identical copy of a trusted line (a retried write) needs no second look; any other
    // line naming a trusted token is checked too, so that a forged copy is reported.
    if (line.type !== 'sealed' || trusted.get(line.tokenId) === line.data) continue;
    const keyId = line.key ?? HEADER_KEY_ID;
    const decrypter = opened.decrypters.get(keyId);
    const skip = (reason: SkippedRecord['reason'], why: string) =>
      problems.push({
        name: line.name,
        team: line.team,
        tokenId: line.tokenId,
        reason,
        message: `${label}: skipped the sealed record of ${JSON.stringify(line.name)} (token ${JSON.stringify(line.tokenId)}): ${why}`,
      });
    if (decrypter === undefined) {
      if (opened.tampered.has(keyId)) {
        skip('key-tampered', 'its key line was tampered with (its key is not its fileRecipient)');
      } else {
        skip('no-key', `it is sealed to a key that ${what} cannot open`);
      }
      continue;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(await decrypter.decrypt(Buffer.from(line.data, 'base64'), 'text'));
    } catch {
      skip('damaged', 'it is damaged (it does not decrypt)');
      continue;
    }
    const checked = checkSealedRecord(line, payload);
    if (checked === 'not-a-record') {
      skip('damaged', 'it is damaged (it is not a token record)');
      continue;
    }
    if (checked === 'mismatch') {
      skip('tampered', 'it was tampered with (its plaintext fields differ from the sealed record)');
      continue;
    }
    if (trusted.has(line.tokenId)) continue; // another good copy: the first one counts
    trusted.set(line.tokenId, line.data);
    records.push(checked);
  }
  // A record skipped once but trusted from another copy of its line is not missing; a
  // tampered line is always worth saying.
  const skipped = problems.filter((p) => p.reason === 'tampered' || !trusted.has(p.tokenId));
  const standing = resolveStanding(file.records, (tokenId) => trusted.has(tokenId));
  return { records, standing, skipped };
}
