import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/api/redact-secrets.js';

describe('redactSecrets', () => {
  const token = `apiv1_${'a1B2'.repeat(16)}`;
  it.each([
    [`bad token ${token} here`, 'bad token apiv1_[redacted] here'],
    ['Authorization: Bearer abcdefghijklmnopqrstuvwxyz', 'Authorization: Bearer [redacted]'],
    ['the token is revoked', 'the token is revoked'],
    ['line one\n  line two', 'line one line two'],
  ])('%j → %j', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('removes the given secrets and cuts long text', () => {
    expect(redactSecrets('echo: mgmt-secret-value!', ['mgmt-secret-value'])).toBe(
      'echo: [redacted]!',
    );
    expect(redactSecrets('x'.repeat(500))).toHaveLength(301);
  });
});
