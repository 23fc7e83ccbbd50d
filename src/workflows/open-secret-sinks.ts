import { existsSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SecretSink } from '../apply/index.js';
import type { ExpandedManifest } from '../manifest/index.js';
import { checkSecretsFileSafe } from '../secrets/index.js';
import { checkSecretsFileKeys } from '../secrets/index.js';
import { keysForWriting } from '../secrets/index.js';
import { openSecretsWriter } from '../secrets/index.js';
import type { SecretsWriter, WritingKeys } from '../secrets/index.js';
import type { WorkflowContext } from './context.js';
import { secretsFileFor } from './secrets-file-for.js';
import { displayPath } from './display-path.js';

/** Where sealed strings go, from the manifest's outputs and the apply flags. */
export interface SecretSinkOptions {
  manifest: ExpandedManifest;
  /** The manifest's path as given (outputs are relative to its folder). */
  manifestFile: string;
  /** `--secrets-file`: replaces the manifest's main file (team files stay). */
  secretsFile?: string | undefined;
  /** `--recipient`, added to every file's recipients. */
  recipients?: string[] | undefined;
  /** Paths are relative to `cwd`; recipients may also come from `env`. */
  context: Pick<WorkflowContext, 'cwd' | 'env'>;
}

export interface SecretSinks {
  sinkFor(team: string | null): { sink: SecretSink; path: string };
  /**
   * Before any API call: refuses a team's file that others could have written, and checks
   * the keys when the apply will seal into it (`seals`) or annotate it (it exists already).
   */
  prepare(team: string | null, seals: boolean): void;
  /** Files that received at least one sealed string, for the closing message. */
  written(): string[];
  close(): Promise<void>;
}

/**
 * Routes each token's string to its file: the team's own file when the manifest has
 * per-team outputs (sealed to the team's and the manifest's recipients, so a team opens only
 * its own), else the main file. `sinkFor` checks, before any API call, the keys (from the
 * manifest, flags and environment only) and that no other user could have written the file
 * or its folder (`checkSecretsFileSafe`); files are opened on first use, so an apply without
 * creates never touches them, and the writer checks the file again on its descriptor.
 */
export function openSecretSinks(options: SecretSinkOptions): SecretSinks {
  const { manifest, context } = options;
  const folder = dirname(resolve(context.cwd, options.manifestFile));
  const mainPath =
    options.secretsFile === undefined ? undefined : resolve(context.cwd, options.secretsFile);
  const keysFor = (team: string | null): WritingKeys =>
    keysForWriting({
      manifestRecipients: [
        ...manifest.outputs.recipients,
        ...(team === null ? [] : (manifest.outputs.teamRecipients[team] ?? [])),
      ],
      flagRecipients: options.recipients ?? [],
      env: context.env,
    });
  const route = (team: string | null): { path: string; keys: () => WritingKeys } => {
    const template = manifest.outputs.teamSecretsFile;
    // The main file's keys for a token without a team, or when teams share the main file.
    const keysTeam = team === null || template === null ? null : team;
    return {
      path: secretsFileFor(manifest, folder, team, mainPath),
      keys: () => keysFor(keysTeam),
    };
  };

  const writers = new Map<string, Promise<SecretsWriter>>();
  const sealedIn = new Set<string>();
  const safe = new Set<string>();
  const keyed = new Map<string, WritingKeys>();
  const checkSafe = (path: string): void => {
    if (safe.has(path)) return;
    checkSecretsFileSafe(path, displayPath(context.cwd, path));
    safe.add(path);
  };
  // Keys are worked out only where a writer is needed: an apply that only revokes tokens
  // never sealed anywhere needs no recipient at all.
  const keysOf = (path: string, keys: () => WritingKeys): WritingKeys => {
    let checked = keyed.get(path);
    if (checked === undefined) {
      checked = keys();
      checkSecretsFileKeys(path, checked, displayPath(context.cwd, path));
      keyed.set(path, checked);
    }
    return checked;
  };
  const writerFor = (
    team: string | null,
  ): {
    path: string;
    writer: () => Promise<SecretsWriter>;
    existing: () => Promise<SecretsWriter | null>;
  } => {
    const { path, keys } = route(team);
    checkSafe(path);
    const writer = () => {
      let opening = writers.get(path);
      if (opening === undefined) {
        opening = Promise.resolve().then(() =>
          openSecretsWriter(path, keysOf(path, keys), { label: displayPath(context.cwd, path) }),
        );
        writers.set(path, opening);
      }
      return opening;
    };
    // Renames and revokes annotate sealed strings: a file that was never written holds none.
    const existing = async () => (writers.has(path) || (await exists(path)) ? writer() : null);
    return { path, writer, existing };
  };

  return {
    prepare(team, seals) {
      const { path, keys } = route(team);
      checkSafe(path);
      if (seals || existsSync(path)) keysOf(path, keys);
    },
    sinkFor(team) {
      const { path, writer, existing } = writerFor(team);
      const sink: SecretSink = {
        beginCreate: async (name, tokenTeam) => (await writer()).beginCreate(name, tokenTeam),
        seal: async (intentId, record) => {
          await (await writer()).seal(intentId, record);
          sealedIn.add(path);
        },
        abandon: async (intentId) => (await writer()).abandon(intentId),
        recordRenamed: async (tokenId, from, to) =>
          (await existing())?.recordRenamed(tokenId, from, to),
        recordRevoked: async (tokenId, name) => (await existing())?.recordRevoked(tokenId, name),
      };
      return { sink, path: displayPath(context.cwd, path) };
    },
    // Only files that received a string: a file opened for a create that failed, or only to
    // record a rename or revoke, is not named in "Sealed new token strings in …".
    written: () =>
      [...writers.keys()]
        .filter((path) => sealedIn.has(path))
        .map((p) => displayPath(context.cwd, p)),
    async close() {
      const opened = await Promise.allSettled(writers.values());
      await Promise.all(
        opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value.close()] : [])),
      );
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
