import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import { UsageError } from '../../src/errors.js';

const SECRET = 'mgmtSecretPart';

function make(managementToken: string) {
  return () =>
    createManagementClient({
      url: 'http://127.0.0.1:9/api/v0',
      accountId: randomUUID(),
      clusterId: randomUUID(),
      managementToken,
    });
}

describe('createManagementClient checks the management token before any use', () => {
  it.each([
    [`${SECRET}\nx`, 'a line break (LF) at position 15'],
    [`${SECRET}\r\nx`, 'a line break (CR) at position 15'],
    [`\n${SECRET}`, 'a line break (LF) at position 1'],
    [`${SECRET} x`, 'a space at position 15'],
    [`${SECRET}\tx`, 'a tab at position 15'],
    [`${SECRET}\u0000`, 'a control character at position 15'],
    [`${SECRET}\u007f`, 'a control character at position 15'],
    [`${SECRET}\u00a0x`, 'a non-ASCII character at position 15'],
    [`${SECRET}\u200bx`, 'a non-ASCII character at position 15'],
  ])('%j: contains %s', (token, what) => {
    const error = (() => {
      try {
        make(token)();
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UsageError);
    const { message, hint, stack } = error as UsageError;
    expect(message).toBe(`the management token contains ${what}`);
    expect(hint).toMatch(/visible ASCII/);
    for (const text of [message, hint ?? '', stack ?? '']) expect(text).not.toContain(SECRET);
  });

  it('refuses an empty token and accepts every visible ASCII character', () => {
    expect(make('')).toThrow('the management token is empty');
    let visible = '';
    for (let code = 0x21; code <= 0x7e; code += 1) visible += String.fromCharCode(code);
    expect(make(visible)).not.toThrow();
  });
});
