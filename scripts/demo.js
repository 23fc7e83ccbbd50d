#!/usr/bin/env node
// The main job, end to end, on a fresh machine: start the embedded emulator, make a
// throwaway age identity, plan and apply examples/tokens.yaml, list the sealed secrets,
// prove a delivered token works, and plan again to show that nothing is left to do.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { startEmulator } from '../dist/emulator/start-emulator.js';
import { loadManifest } from '../dist/manifest/load-manifest.js';

const root = join(import.meta.dirname, '..');
const manifestPath = join('examples', 'tokens.yaml');
const work = mkdtempSync(join(tmpdir(), 'provision-demo-'));

const loaded = await loadManifest(manifestPath, { now: new Date(), cwd: root });
if (!loaded.ok) throw new Error(`${manifestPath} is not valid; run provision validate`);
const databases = [
  ...new Set(loaded.manifest.tokens.flatMap((t) => t.databases.map((d) => d.database))),
];

const emulator = await startEmulator({ port: 0, databases });
const identity = await generateIdentity();
const recipient = await identityToRecipient(identity);
const identityFile = join(work, 'demo-identity.txt');
writeFileSync(identityFile, `# throwaway demo identity\n${identity}\n`, { mode: 0o600 });
const secretsFile = join(work, 'tokens.sealed');

// Unset entries are left out, not passed on as the string "undefined".
const env = Object.fromEntries(
  Object.entries({
    ...process.env,
    NO_COLOR: process.env.NO_COLOR ?? (process.stdout.isTTY ? undefined : '1'),
    INFLUX_MANAGEMENT_URL: emulator.url,
    INFLUX_ACCOUNT_ID: emulator.accountId,
    INFLUX_CLUSTER_ID: emulator.clusterId,
    INFLUX_MANAGEMENT_TOKEN: emulator.managementToken,
    PROVISION_AGE_IDENTITY: identityFile,
  }).filter(([, value]) => value !== undefined),
);

let failed = false;
async function step(title, args) {
  const [on, off] = env.NO_COLOR === undefined ? ['\u001b[1m', '\u001b[0m'] : ['', ''];
  process.stdout.write(`\n${on}$ provision ${args.join(' ')}${off}   # ${title}\n`);
  // Not spawnSync: the emulator lives in this process and must keep answering.
  const child = spawn(process.execPath, [join(root, 'bin', 'provision.js'), ...args], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  const status = await new Promise((resolve) => child.on('close', resolve));
  if (status !== 0) failed = true;
  return status;
}

try {
  process.stdout.write(
    `provision demo: emulator at ${emulator.url}, databases ${databases.join(', ')}\n` +
      `throwaway age identity in ${work} (deleted at the end)\n`,
  );
  const applyArgs = [
    ...['apply', '-f', manifestPath, '--yes'],
    ...['--recipient', recipient, '--secrets-file', secretsFile],
  ];
  await step('check the manifest', ['validate', '-f', manifestPath]);
  await step('what would change', ['plan', '-f', manifestPath]);
  await step('make it so; seal every new token string', applyArgs);
  await step('what was sealed (never the strings)', ['secrets', 'list', secretsFile]);
  await step('every delivered token grants exactly what the manifest says', [
    'verify',
    '-f',
    manifestPath,
    '--secrets-file',
    secretsFile,
    '--cluster-url',
    emulator.clusterUrl,
    '--write-probe',
  ]);
  await step('apply again: nothing to do', applyArgs);
} finally {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write(failed ? '\ndemo: a step failed\n' : '\ndemo: done\n');
process.exitCode = failed ? 1 : 0;
