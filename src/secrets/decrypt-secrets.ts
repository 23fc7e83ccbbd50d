import { Decrypter } from 'age-encryption';
import { SecretsError } from '../errors.js';
import { keyDecrypter, openKeyLine } from './file-key.js';
import { NativeX25519Identity } from './native-x25519.js';
import { HEADER_KEY_ID, type KeyLine, type ParsedSecretsFile } from './parse-secrets-file.js';
import { noSuchFile, readSecretsFile } from './read-secrets-file.js';
import { checkSealedRecord } from './check-sealed-record.js';
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
  const opened = await openKeys(file, keys, label);
  const what = 'passphrase' in keys ? 'this passphrase' : 'this identity';
  const records: SecretRecord[] = [];
  const trusted = new Set<string>();
  const problems: SkippedRecord[] = [];
  for (const line of file.records) {
    if (line.type !== 'sealed' || trusted.has(line.tokenId)) continue;
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
    trusted.add(line.tokenId);
    records.push(checked);
  }
  // A record skipped once but trusted from another copy of its line is not missing; a
  // tampered line is always worth saying.
  const skipped = problems.filter((p) => p.reason === 'tampered' || !trusted.has(p.tokenId));
  return { records, skipped };
}

interface OpenedKeys {
  /** Key id → a decrypter holding every identity opened under that id. */
  decrypters: Map<string, Decrypter>;
  /** Key ids with a line that decrypted to an identity other than its fileRecipient. */
  tampered: Set<string>;
}

async function openKeys(
  file: ParsedSecretsFile,
  keys: ReadingKeys,
  label: string,
): Promise<OpenedKeys> {
  const all = [...(file.header.legacyKey === null ? [] : [file.header.legacyKey]), ...file.keys];
  const passphrase = 'passphrase' in keys;
  const mine = unique(all.filter((line) => line.passphrase === passphrase));
  const hasRecords = file.records.some((line) => line.type === 'sealed');
  if (mine.length === 0 && all.length > 0 && hasRecords) throw wrongKind(file, keys, label);
  const decrypter = keyDecrypter(keys);
  const identities = new Map<string, string[]>();
  const tampered = new Set<string>();
  let decrypted = false;
  for (const line of mine) {
    const key = await openKeyLine(line, decrypter);
    if (key.status === 'closed') continue;
    decrypted = true;
    if (key.status === 'mismatch') tampered.add(line.key);
    else identities.set(line.key, [...(identities.get(line.key) ?? []), key.identity]);
  }
  if (!decrypted && hasRecords) {
    const count = file.header.recipients.length;
    const sealedTo = passphrase
      ? ''
      : ` (it is sealed to ${count} recipient${count === 1 ? '' : 's'})`;
    throw new SecretsError(
      `cannot open ${label} with ${passphrase ? 'this passphrase' : 'this identity'}${sealedTo}`,
    );
  }
  const decrypters = new Map<string, Decrypter>();
  for (const [id, list] of identities) {
    const recordDecrypter = new Decrypter();
    for (const identity of list) recordDecrypter.addIdentity(new NativeX25519Identity(identity));
    decrypters.set(id, recordDecrypter);
  }
  return { decrypters, tampered };
}

// A key line written twice (a retried short write) is opened once.
function unique(lines: KeyLine[]): KeyLine[] {
  const seen = new Set<string>();
  return lines.filter((line) => {
    const id = `${line.key}\n${line.fileKey}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function wrongKind(file: ParsedSecretsFile, keys: ReadingKeys, label: string): SecretsError {
  if ('passphrase' in keys) {
    const n = file.header.recipients.length;
    return new SecretsError(
      `${label} is sealed to ${n} recipient${n === 1 ? '' : 's'}, not a passphrase`,
      {
        hint: 'pass -i FILE or set PROVISION_AGE_IDENTITY to an identity file',
      },
    );
  }
  return new SecretsError(`${label} is sealed with a passphrase`, {
    hint: 'set PROVISION_PASSPHRASE',
  });
}
