import type { ProbeResult } from '../api/index.js';
import type { PermissionAction } from '../model/index.js';

/** What the manifest says a probe should get. */
export type Expectation = 'granted' | 'denied';

/** One probe to send: an action on a database, and the answer the manifest implies. */
export interface ProbeSpec {
  database: string;
  action: PermissionAction;
  expected: Expectation;
}

/** A probe and what the cluster answered. */
export interface ProbeOutcome extends ProbeSpec {
  observed: ProbeResult;
  /** The answer is exactly the expectation. */
  ok: boolean;
}

/** A sealed token string's place, from a secrets file's plaintext index. */
export interface SealedEntry {
  tokenId: string;
  /** RFC 3339: when it was sealed; the latest live one wins. */
  sealedAt: string;
  /** The secrets file that holds it (absolute path). */
  file: string;
}

/** Why a declared token cannot be probed. */
export type NotVerifiableReason = 'not-sealed' | 'not-in-cluster' | 'cannot-open';

/** What verify does with one declared token. */
export type VerifyCandidate =
  | { kind: 'verifiable'; name: string; team: string | null; tokenId: string; file: string }
  | {
      kind: 'not-verifiable';
      name: string;
      team: string | null;
      /** The live token, when there is one. */
      tokenId: string | null;
      reason: NotVerifiableReason;
      /** For `cannot-open`: the file as the user knows it. */
      file?: string;
    };

/** The verdict on one declared token. */
export interface TokenVerification {
  name: string;
  team: string | null;
  tokenId: string | null;
  status: 'verified' | 'mismatch' | 'not-verifiable';
  /** For `not-verifiable`: why, in words. */
  reason?: string;
  /** For `not-verifiable`: why, as a code (reporters group by it). */
  reasonCode?: NotVerifiableReason;
  probes: ProbeOutcome[];
}

/** Everything `provision verify` found; plain data for the text and JSON reporters. */
export interface VerifyReport {
  clusterUrl: string;
  writeProbe: boolean;
  /** Sorted by name. */
  tokens: TokenVerification[];
  summary: {
    tokens: number;
    verified: number;
    mismatched: number;
    notVerifiable: number;
    probes: number;
    mismatches: number;
  };
}
