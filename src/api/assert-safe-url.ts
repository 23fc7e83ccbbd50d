import { isIP } from 'node:net';
import { UsageError } from '../errors.js';

/**
 * Accepts `https://` anywhere and plain `http://` only to loopback: the management token
 * travels in a header, and the local emulator is the only reason to skip TLS. Returns the
 * URL with one trailing slash, as ky's `prefixUrl` joins paths onto it.
 */
export function assertSafeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`management URL "${url}" is not a URL`, {
      hint: 'use e.g. https://console.influxdata.com/api/v0',
    });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UsageError('management URL must not carry credentials', {
      hint: 'pass the management token with INFLUX_MANAGEMENT_TOKEN or --management-token-file',
    });
  }
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
    throw new UsageError(
      `refusing plain http:// to ${parsed.hostname}: the management token would travel unencrypted`,
      {
        hint: 'use https://, or http:// only to 127.0.0.1, ::1 or localhost (the emulator)',
      },
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`management URL must be https:// (got ${parsed.protocol})`);
  }
  parsed.search = '';
  parsed.hash = '';
  return parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`;
}

/** 127.0.0.0/8, ::1 (also as IPv4-mapped) and `localhost`. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    // WHATWG URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
    return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host) || /^::ffff:127\./.test(host);
  }
  return false;
}
