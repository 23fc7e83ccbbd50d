import type { ClusterDatabase, DatabaseToken, Product } from '../model/index.js';

/** The bad-day knobs, all off by default. Probabilities are in [0, 1]. */
export interface FaultSettings {
  /** Added to every request, in ms. */
  latencyMs: number;
  /** A uniform random extra of up to this many ms. */
  jitterMs: number;
  /** Above this many Management API requests in flight, answer 429 (0 = no cap). */
  maxInflight: number;
  /** Probability of a 500/503 before anything is done (so a retry is always safe). */
  errorRate: number;
  /** Probability of a 429 with `Retry-After`. */
  rateLimitRate: number;
  /** A token created less than this many ms ago is missing from list responses. */
  listLagMs: number;
  /** Probability that a mutation commits, then the connection drops without a response. */
  ambiguousRate: number;
  /** A new token answers 401 on the data endpoints for this many ms. */
  activationDelayMs: number;
  /** The `Retry-After` value (integer seconds) of 429 and 503 answers (default 1). */
  retryAfterSeconds: number;
}

/** How finely the emulator stamps the times it makes. */
export type TimePrecision = 'ms' | 's';

/** Options of `startEmulator`; they mirror the flags of `provision emulator`. */
export interface EmulatorOptions extends Partial<FaultSettings> {
  /** 0 picks a free port (default 0 here; the CLI defaults to 8086). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /**
   * Which Management API to serve (default `dedicated`): Cloud Dedicated's paths under
   * `/accounts/{accountId}/clusters/{clusterId}/`, or Clustered's with no ids in paths or
   * bodies. The store, the data plane and every fault knob are the same.
   */
  product?: Product;
  /** UUIDs served (Dedicated only); random unless given or loaded from `statePath`. */
  accountId?: string;
  clusterId?: string;
  /** The bearer token the API accepts; random unless given. */
  managementToken?: string;
  /** Databases to create at start (skipped when they already exist). */
  databases?: string[];
  /** JSON file to load state from and write it to after every mutation. */
  statePath?: string;
  /** Seed of the fault PRNG; random unless given. */
  seed?: number;
  /**
   * Clock for `createdAt`, `revokedAt`, expiry, list lag and activation (tests); absent or
   * undefined: the real clock.
   */
  now?: (() => Date) | undefined;
  /**
   * `s`: `createdAt` and `revokedAt` in whole seconds (`…T04:20:19.000Z`), as the spec's
   * examples show, so two tokens made within one second tie; `ms` (default): milliseconds.
   */
  timePrecision?: TimePrecision;
  /** Called after every Management API answer, e.g. to check bodies against the spec. */
  onExchange?: (exchange: Exchange) => void;
}

/** One Management API request and what the emulator did with it. */
export interface Exchange {
  method: string;
  /** Path without the query string, e.g. `/api/v0/accounts/…/tokens`. */
  path: string;
  /** Route key such as `POST /tokens`, or `unknown`. */
  operation: string;
  /** Parsed JSON request body, or the raw text when it was not JSON. */
  requestBody: unknown;
  /** HTTP status sent, or undefined when the connection was dropped on purpose. */
  status: number | undefined;
  /** Parsed JSON response body; undefined for 204 and dropped connections. */
  responseBody: unknown;
}

/** What the emulator counted; live, for assertions in tests. */
export interface EmulatorCounters {
  /** Every HTTP request, Management API and data plane. */
  requests: number;
  /** Requests per route key (`GET /tokens`, `POST /tokens`, `write`, …), counted on arrival. */
  byOperation: Record<string, number>;
  /** Injected faults by kind. */
  faults: { overloaded: number; rateLimited: number; serverErrors: number; ambiguous: number };
  /** Lines of line protocol accepted by the write endpoints. */
  pointsWritten: number;
}

/** A read-only view of the emulator's state for tests. */
export interface EmulatorStoreView {
  /** Every token, revoked ones included, without any token string or hash. */
  tokens(): DatabaseToken[];
  databases(): ClusterDatabase[];
  /** The id of the token with this string, if any (the emulator keeps only a hash of it). */
  idForAccessToken(accessToken: string): string | undefined;
  readonly counters: EmulatorCounters;
}

/** A started emulator. */
export interface RunningEmulator {
  /** Management API base URL, `http://127.0.0.1:PORT/api/v0`. */
  url: string;
  /** Data plane URL of the cluster, `http://127.0.0.1:PORT`. */
  clusterUrl: string;
  port: number;
  product: Product;
  /** The ids a Dedicated emulator serves; a Clustered one keeps them internal, never in answers. */
  accountId: string;
  clusterId: string;
  managementToken: string;
  store: EmulatorStoreView;
  /** Changes fault knobs while running (tests: seed data without faults, then turn them on). */
  setFaults(faults: Partial<FaultSettings>): void;
  /** Stops listening, drops open connections and flushes the state file. */
  close(): Promise<void>;
}
