import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type CliIo } from '../io.js';
import { CI_WORKFLOW } from '../init/ci-workflow.js';
import { starterManifest } from '../init/starter-manifest.js';

/** Flags of `provision init`, as main.ts declares them. */
export interface InitOptions {
  file: string;
  keyFile: string;
  /** The workflow path, or `false` with `--no-workflow`. */
  workflow: string | false;
}

/** This package's schema, in `src/` and `dist/` alike. */
const SCHEMA_FILE = fileURLToPath(new URL('../../../schema/tokens.schema.json', import.meta.url));

/**
 * `provision init`: a starter `tokens.yaml` (with the `$schema` line), an age key pair for
 * the platform team (the identity in a 0600 file, never printed), `.gitignore` lines that keep
 * the identity out of git, and the CI workflow. Refuses, writing nothing, if any file it
 * would create exists.
 */
export async function initCommand(options: InitOptions, io: CliIo): Promise<number> {
  const manifestPath = resolve(io.cwd, options.file);
  const keyPath = resolve(io.cwd, options.keyFile);
  const workflowPath = options.workflow === false ? null : resolve(io.cwd, options.workflow);
  const targets = [manifestPath, keyPath, ...(workflowPath === null ? [] : [workflowPath])];
  const existing = targets.filter((path) => existsSync(path));
  if (existing.length > 0) {
    throw new UsageError(
      `refusing to overwrite ${existing.map((path) => shown(io.cwd, path)).join(', ')}`,
      { hint: 'move it away, or choose other paths with -f, --key-file or --workflow' },
    );
  }

  const identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  const created = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await mkdir(dirname(keyPath), { recursive: true });
  // `wx`: a file that appeared since the check above is not overwritten either.
  await writeFile(keyPath, `# created: ${created}\n# public key: ${recipient}\n${identity}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  await mkdir(dirname(manifestPath), { recursive: true });
  await writeFile(
    manifestPath,
    starterManifest({ schemaRef: await schemaRef(dirname(manifestPath)), recipient }),
    { flag: 'wx' },
  );
  if (workflowPath !== null) {
    await mkdir(dirname(workflowPath), { recursive: true });
    await writeFile(workflowPath, CI_WORKFLOW, { flag: 'wx' });
  }
  const ignored = await addToGitignore(resolve(io.cwd, '.gitignore'), [
    shown(io.cwd, keyPath),
    'plan.json',
    'plan.md',
    'plan.txt',
  ]);

  const lines = [
    `Wrote ${shown(io.cwd, manifestPath)} (its first line points editors at the schema).`,
    `Wrote ${shown(io.cwd, keyPath)} (mode 0600): the platform team's age identity, for its public key ${recipient}.`,
    '  Keep it out of git and in your password manager; it opens every sealed token string.',
    ...(workflowPath === null ? [] : [`Wrote ${shown(io.cwd, workflowPath)}.`]),
    ignored.length > 0
      ? `Added to .gitignore: ${ignored.join(', ')}.`
      : '.gitignore already lists the key file and saved plans.',
    '',
    'Next: set INFLUX_ACCOUNT_ID, INFLUX_CLUSTER_ID and INFLUX_MANAGEMENT_TOKEN, then run',
    `  provision plan -f ${shown(io.cwd, manifestPath)}`,
  ];
  for (const line of lines) writeLine(io.stdout, line);
  return ExitCode.Ok;
}

/**
 * The `$schema` reference for a manifest in `folder`: a relative path to this package's
 * schema when the package lives inside the project (`node_modules/provision/...`), else the
 * schema's `$id` URL.
 */
async function schemaRef(folder: string): Promise<string> {
  const path = relative(folder, SCHEMA_FILE);
  if (!path.startsWith('..')) return `./${path}`;
  const schema = JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as { $id?: string };
  return schema.$id ?? path;
}

/** Appends the lines `.gitignore` lacks (creating it if need be); returns those added. */
async function addToGitignore(path: string, lines: string[]): Promise<string[]> {
  const text = existsSync(path) ? await readFile(path, 'utf8') : '';
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim()));
  const missing = lines.filter((line) => !present.has(line) && !present.has(`/${line}`));
  if (missing.length === 0) return [];
  const lead = text === '' || text.endsWith('\n') ? '' : '\n';
  await appendFile(
    path,
    `${lead}# provision: the private key and saved plans stay out of git\n${missing.join('\n')}\n`,
  );
  return missing;
}

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') ? path : rel;
}
