import ky from 'ky';
import { ProvisionError } from '../errors.js';
import { parseSafeUrl, type UrlRole } from './assert-safe-url.js';
import { classifyFailure, timeoutFailure } from './classify-failure.js';
import { BodyTooLargeError, discardBody, readBoundedBody } from './read-bounded-body.js';
import { sleep } from './retry-policy.js';
import { startDeadline } from './start-deadline.js';

/** Most of a probe's answer read, in bytes: only its status counts; the rest is cut off. */
const MAX_PROBE_BODY_BYTES = 64 * 1024;

/**
 * What the cluster said to a database token: `granted` (2xx, or 400 — see below), `denied`
 * (403), `unauthenticated` (401: unknown, revoked, expired or not active yet),
 * `missing-database` (404), or an error that says nothing about the token (network, 5xx…).
 */
export type ProbeResult =
  'granted' | 'denied' | 'unauthenticated' | 'missing-database' | { error: string };

/** One probe of one action on one database. */
export interface ProbeOptions {
  /** The cluster's data URL, e.g. `https://CLUSTER_ID.a.influxdb.io` (not the Management API). */
  clusterUrl: string;
  /** The database token string; it travels only in the `Authorization` header. */
  token: string;
  action: 'read' | 'write';
  database: string;
  signal?: AbortSignal | undefined;
  /** Per-request deadline in ms, the response body included (default 10 000). */
  timeoutMs?: number;
}

/**
 * Asks the cluster whether `token` may `action` on `database`, without touching data:
 * a read is `GET /query?db=DB&q=SELECT 1`; a write is `POST /api/v2/write` with an EMPTY
 * body, which stores nothing. An empty or unparsable request that gets a 400 has passed
 * authentication and authorisation (the server checks the token before the payload), so 400
 * counts as granted, like 204. The token never appears in a result or an error.
 */
export async function probeDataPlane(options: ProbeOptions): Promise<ProbeResult> {
  const base = assertClusterUrl(options.clusterUrl);
  const url =
    options.action === 'read'
      ? new URL(
          `query?${new URLSearchParams({ db: options.database, q: 'SELECT 1' }).toString()}`,
          base,
        )
      : new URL(
          `api/v2/write?${new URLSearchParams({ bucket: options.database, precision: 's' }).toString()}`,
          base,
        );
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = startDeadline(timeoutMs, options.signal);
  let status: number;
  try {
    const response = await ky(url, {
      method: options.action === 'read' ? 'get' : 'post',
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(options.action === 'write' ? { 'content-type': 'text/plain; charset=utf-8' } : {}),
      },
      ...(options.action === 'write' ? { body: '' } : {}),
      // The deadline covers the body; a redirect's answer would come from a host not asked.
      timeout: false,
      redirect: 'manual',
      retry: 0,
      throwHttpErrors: false,
      signal: deadline.signal,
    });
    status = response.status;
    if (status >= 300 && status < 400) {
      discardBody(response);
      return { error: `HTTP ${status}: redirects are not followed` };
    }
    // Drain a small body so the keep-alive connection is reused; only the status matters.
    await readBoundedBody(response, MAX_PROBE_BODY_BYTES, deadline.signal).catch(
      (error: unknown) => {
        if (!(error instanceof BodyTooLargeError)) throw error;
      },
    );
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    return {
      error: deadline.expired()
        ? timeoutFailure(timeoutMs).detail
        : classifyFailure(error, timeoutMs).detail,
    };
  } finally {
    deadline.clear();
  }
  return classifyStatus(status);
}

/** The probe result a status means. */
export function classifyStatus(status: number): ProbeResult {
  if ((status >= 200 && status < 300) || status === 400) return 'granted';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'denied';
  if (status === 404) return 'missing-database';
  return { error: `unexpected HTTP ${status}` };
}

/** Options of `waitUntilActive`. */
export interface WaitUntilActiveOptions {
  clusterUrl: string;
  token: string;
  /** A database to ask about; any answer but 401 (even 403 or 404) proves the token is live. */
  database: string;
  /** Give up after this many ms. */
  timeoutMs: number;
  /** Pause between probes in ms (default 2 000). */
  intervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Polls read probes until the token stops answering 401 (a new token takes seconds to
 * minutes to become active). Resolves with the ms waited; throws a ProvisionError on timeout.
 */
export async function waitUntilActive(options: WaitUntilActiveOptions): Promise<number> {
  const started = performance.now();
  const intervalMs = options.intervalMs ?? 2_000;
  // A probe may overrun the deadline a little rather than be cut short into a false timeout.
  const probeTimeoutMs = Math.min(10_000, Math.max(1_000, options.timeoutMs));
  for (;;) {
    const last = await probeDataPlane({
      clusterUrl: options.clusterUrl,
      token: options.token,
      action: 'read',
      database: options.database,
      signal: options.signal,
      timeoutMs: probeTimeoutMs,
    });
    if (last !== 'unauthenticated' && typeof last === 'string') {
      return Math.round(performance.now() - started);
    }
    const remaining = options.timeoutMs - (performance.now() - started);
    if (remaining <= 0) {
      const why = typeof last === 'string' ? 'it still answers 401' : `last probe: ${last.error}`;
      throw new ProvisionError(
        `the token did not become active within ${options.timeoutMs} ms (${why})`,
        { hint: 'new tokens can take minutes; raise --wait-timeout, or check --cluster-url' },
      );
    }
    await sleep(Math.min(intervalMs, remaining), options.signal);
  }
}

const CLUSTER_URL: UrlRole = {
  label: 'cluster URL',
  secret: 'database tokens',
  example: 'https://CLUSTER_ID.a.influxdb.io',
};

/**
 * The cluster URL as a base for relative paths: `https://` anywhere, plain `http://` only to
 * loopback (the emulator), since a database token travels in the header.
 */
export function assertClusterUrl(url: string): URL {
  const parsed = parseSafeUrl(url, CLUSTER_URL);
  if (!parsed.pathname.endsWith('/')) parsed.pathname = `${parsed.pathname}/`;
  return parsed;
}
