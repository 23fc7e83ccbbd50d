import { UsageError } from '../errors.js';
import { checkAgeRecipient } from '../model/index.js';
import type { WritingKeys } from './types.js';

/** Where the recipients of a secrets file come from, at apply time. */
export interface KeysForWritingOptions {
  /** `outputs.recipients` (and, for a team's file, that team's recipients). */
  manifestRecipients?: string[];
  /** `--recipient age1…`, repeatable. */
  flagRecipients?: string[];
  /** Reads `PROVISION_AGE_RECIPIENTS` (space or comma separated) and `PROVISION_PASSPHRASE`. */
  env: NodeJS.ProcessEnv;
}

/**
 * Decides who can open the secrets file: every recipient from the manifest, the flags and
 * the environment; a passphrase only when there is no recipient at all (age cannot seal one
 * file to both).
 */
export function keysForWriting(options: KeysForWritingOptions): WritingKeys {
  const fromEnv = recipientsFromEnv(options.env);
  const recipients = [
    ...checkRecipients(options.manifestRecipients ?? [], 'the manifest'),
    ...checkRecipients(options.flagRecipients ?? [], '--recipient'),
    ...checkRecipients(fromEnv, 'PROVISION_AGE_RECIPIENTS'),
  ];
  if (recipients.length > 0) return { recipients: normalizeRecipients(recipients) };
  const passphrase = options.env.PROVISION_PASSPHRASE;
  if (passphrase !== undefined && passphrase !== '') return { passphrase };
  throw new UsageError(
    'no one could open the secrets file: add outputs.recipients, --recipient age1…, or PROVISION_PASSPHRASE',
  );
}

/** `PROVISION_AGE_RECIPIENTS`, split on spaces and commas (not yet checked). */
export function recipientsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.PROVISION_AGE_RECIPIENTS ?? '').split(/[\s,]+/).filter(Boolean);
}

/** Sorted and unique, as the header stores them and as they are compared. */
export function normalizeRecipients(recipients: string[]): string[] {
  return [...new Set(recipients.map((r) => r.trim()))].sort();
}

/**
 * Throws a UsageError naming the first value that is not an age recipient (the one check,
 * `checkAgeRecipient`, that the manifest uses too). Recipients are public, so the bad one is
 * printed, unless it looks like anything else (an identity or a token pasted into the wrong
 * place must never be echoed).
 */
export function checkRecipients(recipients: string[], source: string): string[] {
  recipients.forEach((value, index) => {
    const trimmed = value.trim();
    const problem = checkAgeRecipient(trimmed);
    if (problem === null) return;
    if (problem === 'identity') {
      throw new UsageError(`an age identity (secret key) was given as a recipient in ${source}`, {
        hint: 'give its public recipient instead (age-keygen -y KEYFILE) and keep the key private',
      });
    }
    if (problem === 'unsupported-type') {
      throw new UsageError(
        `not an X25519 age recipient in ${source}: "${trimmed.slice(0, 16)}…" (post-quantum, tag and plugin recipients are not supported)`,
        { hint: 'use a recipient printed by age-keygen -y, which the stock age CLI opens' },
      );
    }
    const shown = /^age1[a-z0-9]{0,100}$/i.test(trimmed)
      ? `"${trimmed}"`
      : `recipient #${index + 1} (not shown: it does not start with age1)`;
    throw new UsageError(`not an age recipient in ${source}: ${shown}`, {
      hint: 'recipients look like age1… (age-keygen -y KEYFILE prints one)',
    });
  });
  return recipients.map((r) => r.trim());
}
