import { generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { isAgeRecipient } from '../../src/manifest/is-age-recipient.js';

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
    '',
    'age1',
    'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8', // one short
    'AGE1QL3Z7HJY54PW3HYWW5AYYFG7ZQGVC7W3J2ELW8ZMRJ2KG5SFN9AQMCAC8P', // upper case
    'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8b', // "b" is not bech32
    'ssh-ed25519 AAAA',
  ])('refuses %j', (text) => {
    expect(isAgeRecipient(text)).toBe(false);
  });

  it("accepts the age README's example recipient", () => {
    expect(isAgeRecipient('age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p')).toBe(
      true,
    );
  });
});
