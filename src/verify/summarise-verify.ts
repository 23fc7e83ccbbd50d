import type { ProbeResult } from '../api/index.js';
import type {
  NotVerifiableReason,
  ProbeOutcome,
  ProbeSpec,
  TokenVerification,
  VerifyCandidate,
  VerifyReport,
} from './types.js';

/**
 * A probe's spec with the cluster's answer; `ok` when it is exactly what was expected. A
 * database that does not exist cannot be reached, so it is what "denied" expects; where the
 * manifest grants access it is a mismatch.
 */
export function judgeProbe(spec: ProbeSpec, observed: ProbeResult): ProbeOutcome {
  const ok =
    observed === spec.expected || (observed === 'missing-database' && spec.expected === 'denied');
  return { ...spec, observed, ok };
}

/** Why a token could not be probed, in the words the reporters print. */
export function notVerifiableReason(reason: NotVerifiableReason, file?: string): string {
  switch (reason) {
    case 'not-sealed':
      return 'string not in the secrets file';
    case 'not-in-cluster':
      return 'not in the cluster; run provision apply';
    case 'cannot-open':
      return `cannot open ${file ?? 'its secrets file'} with this identity`;
  }
}

/** Folds candidates and probe outcomes (by token name) into the report, sorted by name. Pure. */
export function summariseVerify(input: {
  clusterUrl: string;
  writeProbe: boolean;
  candidates: readonly VerifyCandidate[];
  outcomes: ReadonlyMap<string, ProbeOutcome[]>;
}): VerifyReport {
  const tokens = input.candidates.map((candidate): TokenVerification => {
    const { name, team, tokenId } = candidate;
    if (candidate.kind === 'not-verifiable') {
      return {
        name,
        team,
        tokenId,
        status: 'not-verifiable',
        reason: notVerifiableReason(candidate.reason, candidate.file),
        reasonCode: candidate.reason,
        probes: [],
      };
    }
    const probes = input.outcomes.get(name) ?? [];
    const status = probes.every((probe) => probe.ok) ? 'verified' : 'mismatch';
    return { name, team, tokenId, status, probes };
  });
  tokens.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const count = (status: TokenVerification['status']): number =>
    tokens.filter((token) => token.status === status).length;
  const probes = tokens.flatMap((token) => token.probes);
  return {
    clusterUrl: input.clusterUrl,
    writeProbe: input.writeProbe,
    tokens,
    summary: {
      tokens: tokens.length,
      verified: count('verified'),
      mismatched: count('mismatch'),
      notVerifiable: count('not-verifiable'),
      probes: probes.length,
      mismatches: probes.filter((probe) => !probe.ok).length,
    },
  };
}
