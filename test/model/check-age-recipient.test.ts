import { generateHybridIdentity, generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { validateManifestText } from '../../src/manifest/validate-manifest-text.js';
import { checkAgeRecipient, isAgeRecipient } from '../../src/model/check-age-recipient.js';
import { keysForWriting } from '../../src/secrets/keys-for-writing.js';

describe('isAgeRecipient', () => {
  it('accepts recipients made by age-encryption, and refuses each one-character typo', async () => {
    for (let i = 0; i < 5; i += 1) {
      // Keys are generated here, at run time; no identity is ever committed.
      const recipient = await identityToRecipient(await generateIdentity());
      expect(isAgeRecipient(recipient)).toBe(true);
      for (const at of [4, 20, 40, recipient.length - 1]) {
        const typo =
          recipient.slice(0, at) + (recipient[at] === 'q' ? 'p' : 'q') + recipient.slice(at + 1);
        expect(isAgeRecipient(typo)).toBe(false);
      }
    }
  });

  it.each([
    ['', 'not-age'],
    ['age1', 'malformed'],
    ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8', 'malformed'], // one short
    ['AGE1QL3Z7HJY54PW3HYWW5AYYFG7ZQGVC7W3J2ELW8ZMRJ2KG5SFN9AQMCAC8P', 'not-age'], // upper case
    ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8b', 'malformed'], // "b"
    ['ssh-ed25519 AAAA', 'not-age'],
    ['AGE-SECRET-KEY-1QQQQ', 'identity'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(checkAgeRecipient(text)).toBe(problem);
  });

  it("accepts the age README's example recipient", () => {
    expect(isAgeRecipient('age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p')).toBe(
      true,
    );
  });

  it('refuses post-quantum recipients (age1pq1…), which age-encryption 0.3 could seal to', async () => {
    const pq = await identityToRecipient(await generateHybridIdentity());
    expect(pq.startsWith('age1pq1')).toBe(true);
    expect(checkAgeRecipient(pq)).toBe('unsupported-type');
  });
});

describe('one recipient check for the manifest, --recipient and PROVISION_AGE_RECIPIENTS', () => {
  function manifestAccepts(recipient: string): boolean {
    const text = `version: 1\noutputs:\n  recipients: [${JSON.stringify(recipient)}]\ntokens:\n  - name: a\n    description: a\n    read: [db]\n`;
    return validateManifestText(text, 'tokens.yaml', { now: new Date('2025-01-01T00:00:00Z') }).ok;
  }
  function accepts(source: 'flag' | 'env', recipient: string): boolean {
    try {
      keysForWriting(
        source === 'flag'
          ? { flagRecipients: [recipient], env: {} }
          : { env: { PROVISION_AGE_RECIPIENTS: recipient } },
      );
      return true;
    } catch {
      return false;
    }
  }

  it('all three agree on every input, age1pq1… included', async () => {
    const good = await identityToRecipient(await generateIdentity());
    const pq = await identityToRecipient(await generateHybridIdentity());
    const inputs = [
      good,
      `${good.slice(0, -1)}${good.endsWith('q') ? 'p' : 'q'}`,
      pq,
      good.toUpperCase(),
      'age1yubikey1qgq4uwxlwpvvnx2dnwwlbm6ww6l88ch0w7de3ccxhmqfzl0cyhc2wjghrc9', // a plugin
      'age1',
      'AGE-SECRET-KEY-1QQQQ',
    ];
    const verdicts = inputs.map((input) => ({
      input: input.slice(0, 24),
      manifest: manifestAccepts(input),
      flag: accepts('flag', input),
      env: accepts('env', input),
      check: isAgeRecipient(input),
    }));
    for (const verdict of verdicts) {
      expect(verdict).toEqual({
        input: verdict.input,
        manifest: verdict.check,
        flag: verdict.check,
        env: verdict.check,
        check: verdict.check,
      });
    }
    expect(verdicts.map((v) => v.check)).toEqual([true, false, false, false, false, false, false]);
  });
});
