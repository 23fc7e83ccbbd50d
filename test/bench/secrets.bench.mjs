// Secrets file throughput: seal (an intent line and a sealed line, each fsync'd before its
// call resolves), index and read. Run after `npm run build`: `node test/bench/secrets.bench.mjs [N]`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { openSecretsWriter, readSecrets, readSecretsIndex } from '../../dist/secrets/index.js';

const n = Number(process.argv[2] ?? 1000);
const folder = await mkdtemp(join(tmpdir(), 'provision-secrets-bench-'));
const identity = await generateX25519Identity();
const recipient = await identityToRecipient(identity);
const rows = [];

async function time(label, count, run) {
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  rows.push([label, count, ms.toFixed(0), count > 1 ? ((count / ms) * 1000).toFixed(0) : '-']);
}

function record(i) {
  return {
    name: `token-${i}`,
    team: null,
    tokenId: `id-${i}`,
    description: 'bench token',
    permissions: [{ action: 'read', resource: 'db' }],
    createdAt: new Date().toISOString(),
    accessToken: `apiv1_${'x'.repeat(80)}${i}`,
  };
}

// `inFlight` workers each loop intent → seal, as `apply --concurrency` does around creates.
async function sealMany(path, keys, inFlight) {
  const writer = await openSecretsWriter(path, keys);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      await writer.seal(await writer.beginCreate(`token-${i}`, null), record(i));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await writer.close();
}

try {
  const x = join(folder, 'x25519.sealed');
  await time('seal, X25519, 1 in flight', n, () => sealMany(x, { recipients: [recipient] }, 1));
  const c = join(folder, 'concurrent.sealed');
  await time('seal, X25519, 16 in flight (group commit)', n, () =>
    sealMany(c, { recipients: [recipient] }, 16),
  );
  const p = join(folder, 'passphrase.sealed');
  await time('seal, passphrase (scrypt once per file), 16 in flight', n, () =>
    sealMany(p, { passphrase: 'bench passphrase' }, 16),
  );
  await time('readSecretsIndex (no identity)', n, () => readSecretsIndex(x));
  await time('readSecrets (decrypt all)', n, () => readSecrets(x, { identities: [identity] }));
  await time('readSecrets, passphrase', n, () =>
    readSecrets(p, { passphrase: 'bench passphrase' }),
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}

console.log(`### secrets file (N = ${n}, ${tmpdir()})\n`);
console.log('| operation | records | ms | records/s |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
