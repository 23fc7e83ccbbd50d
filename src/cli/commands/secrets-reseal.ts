import { dirname, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import {
  checkRecipients,
  keysForWriting,
  normalizeRecipients,
  resealSecretsFile,
  type ResealStage,
  type WritingKeys,
} from '../../secrets/index.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type CliIo } from '../io.js';
import { loadManifestFor } from '../workflow-context.js';
import { secretsFileFor } from '../../workflows/index.js';
import { readIndex, readingKeys } from './secrets.js';

/** `provision secrets reseal FILE [--recipient age1…]… [-f tokens.yaml] [-i IDENTITY]`. */
export interface SecretsResealOptions {
  file: string;
  /** The new recipients; without them, the manifest's for this file. */
  recipient?: string[];
  manifest: string;
  identity?: string;
}

/**
 * Re-encrypts every record of a secrets file to a new recipient set, atomically, and says
 * plainly what it cannot undo: a removed recipient may have kept the strings it could open,
 * and only rotating those tokens (`apply --replace`, printed) takes them away.
 */
export async function secretsResealCommand(
  options: SecretsResealOptions,
  io: CliIo,
): Promise<number> {
  const to = await newKeys(options, io);
  const index = await readIndex(options.file, io);
  const from = await readingKeys(options, index, io);
  const result = await resealSecretsFile(resolve(io.cwd, options.file), from, to, {
    label: options.file,
    onStage: killPoint(io.env),
  });
  const now = 'recipients' in to ? to.recipients : [];
  writeLine(
    io.stdout,
    `Resealed ${options.file}: ${result.records} records, now sealed to ${'passphrase' in to ? 'the passphrase' : `${now.length} recipient${now.length === 1 ? '' : 's'}`}.`,
  );
  const removed = result.formerRecipients.filter((r) => !now.includes(r));
  const lostPassphrase = result.formerPassphrase && !('passphrase' in to);
  if (removed.length === 0 && !lostPassphrase) {
    writeLine(io.stdout, 'No recipient was removed (as the file records them); nothing to rotate.');
    return ExitCode.Ok;
  }
  for (const recipient of removed) writeLine(io.stdout, `No longer a recipient: ${recipient}`);
  if (lostPassphrase) writeLine(io.stdout, 'No longer sealed to the passphrase.');
  writeLine(
    io.stdout,
    'They cannot open anything written to this file from now on. They could open the strings already in it, and may have kept them: rotate the current tokens to make those worthless.',
  );
  if (result.currentNames.length > 0) {
    const flags = result.currentNames.map((name) => `--replace ${name}`).join(' ');
    writeLine(io.stdout, `  provision apply -f ${options.manifest} ${flags}`);
  }
  writeLine(
    io.stdout,
    `Keep ${options.manifest}'s recipients for this file the same as these, or the next apply refuses to append to it.`,
  );
  return ExitCode.Ok;
}

/** `--recipient`, or the keys the manifest (and environment) give for this very file. */
async function newKeys(options: SecretsResealOptions, io: CliIo): Promise<WritingKeys> {
  const flags = checkRecipients(options.recipient ?? [], '--recipient');
  if (flags.length > 0) return { recipients: normalizeRecipients(flags) };
  const manifest = await loadManifestFor(options.manifest, io, options.file);
  const folder = dirname(resolve(io.cwd, options.manifest));
  const path = resolve(io.cwd, options.file);
  const teams = [null, ...manifest.teams].filter(
    (team) => secretsFileFor(manifest, folder, team) === path,
  );
  if (teams.length === 0) {
    throw new UsageError(`${options.manifest} does not name ${options.file} as a secrets file`, {
      hint: 'give the new recipients with --recipient age1… (repeatable)',
    });
  }
  const team = teams.find((t) => t !== null) ?? null;
  const perTeam = team !== null && manifest.outputs.teamSecretsFile !== null;
  return keysForWriting({
    manifestRecipients: [
      ...manifest.outputs.recipients,
      ...(perTeam ? (manifest.outputs.teamRecipients[team] ?? []) : []),
    ],
    env: io.env,
  });
}

/** `PROVISION_KILL_AT=reseal:written|reseal:renamed`: the tests' `kill -9` at that point. */
function killPoint(env: NodeJS.ProcessEnv): ((stage: ResealStage) => void) | undefined {
  const at = env.PROVISION_KILL_AT;
  if (at === undefined || !at.startsWith('reseal:')) return undefined;
  return (stage) => {
    if (at === `reseal:${stage}`) process.kill(process.pid, 'SIGKILL');
  };
}
