import { describe, expect, it } from 'vitest';
import { assertSafeUrl } from '../../src/api/assert-safe-url.js';
import { UsageError } from '../../src/errors.js';

describe('assertSafeUrl', () => {
  it.each([
    ['https://console.influxdata.com/api/v0', 'https://console.influxdata.com/api/v0/'],
    ['https://example.com/api/v0/', 'https://example.com/api/v0/'],
    ['http://127.0.0.1:8086/api/v0', 'http://127.0.0.1:8086/api/v0/'],
    ['http://127.5.6.7/api/v0', 'http://127.5.6.7/api/v0/'],
    ['http://localhost:1/api/v0', 'http://localhost:1/api/v0/'],
    ['http://[::1]:8086/api/v0', 'http://[::1]:8086/api/v0/'],
    ['http://[::ffff:127.0.0.1]/api/v0', 'http://[::ffff:7f00:1]/api/v0/'],
  ])('accepts %s', (url, expected) => {
    expect(assertSafeUrl(url)).toBe(expected);
  });

  it.each([
    [
      'http://console.influxdata.com/api/v0',
      /refusing plain http:\/\/ to console\.influxdata\.com/,
    ],
    ['http://10.0.0.1/api/v0', /refusing plain http/],
    ['http://128.0.0.1/api/v0', /refusing plain http/],
    ['http://localhost.example.com/api/v0', /refusing plain http/],
    ['http://[::2]/api/v0', /refusing plain http/],
    ['ftp://127.0.0.1/api/v0', /must be https/],
    ['not a url', /is not a URL/],
    ['https://user:secret@example.com/api/v0', /must not carry credentials/],
  ])('refuses %s', (url, message) => {
    expect(() => assertSafeUrl(url)).toThrow(UsageError);
    expect(() => assertSafeUrl(url)).toThrow(message);
  });
});
