import { isIP } from 'node:net';
import { UsageError } from '../errors.js';

/** What a checked URL is for, in the words its errors use. */
export interface UrlRole {
  /** e.g. `management URL`. */
  label: string;
  /** What would travel unencrypted over plain http, e.g. `the management token`. */
  secret: string;
  /** An example of a good URL. */
  example: string;
  /** Where credentials go instead of the URL, if anywhere. */
  credentialsHint?: string;
}

const MANAGEMENT_URL: UrlRole = {
  label: 'management URL',
  secret: 'the management token',
  example: 'https://console.influxdata.com/api/v0',
  credentialsHint:
    'pass the management token with INFLUX_MANAGEMENT_TOKEN or --management-token-file',
};

/**
 * Parses a URL that a secret will be sent to: `https://` anywhere, plain `http://` only to
 * loopback (the local emulator is the only reason to skip TLS), no credentials in it.
 * Query and fragment are dropped.
 */
export function parseSafeUrl(url: string, role: UrlRole): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${role.label} "${url}" is not a URL`, {
      hint: `use e.g. ${role.example}`,
    });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UsageError(
      `${role.label} must not carry credentials`,
      role.credentialsHint === undefined ? {} : { hint: role.credentialsHint },
    );
  }
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
    throw new UsageError(
      `refusing plain http:// to ${parsed.hostname}: ${role.secret} would travel unencrypted`,
      { hint: 'use https://, or http:// only to 127.0.0.1, ::1 or localhost (the emulator)' },
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`${role.label} must be https:// (got ${parsed.protocol})`);
  }
  parsed.search = '';
  parsed.hash = '';
  return parsed;
}

/**
 * The Management API base URL, checked by `parseSafeUrl`, with one trailing slash, as ky's
 * `prefixUrl` joins paths onto it.
 */
export function assertSafeUrl(url: string): string {
  const href = parseSafeUrl(url, MANAGEMENT_URL).href;
  return href.endsWith('/') ? href : `${href}/`;
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
