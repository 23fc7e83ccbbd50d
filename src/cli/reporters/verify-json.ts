import { describeProbe } from '../../verify/index.js';
import type { VerifyReport } from '../../verify/index.js';

/**
 * `provision verify --format json`, for tooling: format version, the cluster URL, every
 * declared token with its status and probes (`observed` is `granted`, `denied`,
 * `unauthenticated`, `missing-database` or `error` with `error` set; a wrong answer has a
 * `message`), and the counts. Never a token string.
 */
export function renderVerifyJson(report: VerifyReport): string {
  const document = {
    formatVersion: 1,
    clusterUrl: report.clusterUrl,
    writeProbe: report.writeProbe,
    tokens: report.tokens.map((token) => ({
      name: token.name,
      team: token.team,
      tokenId: token.tokenId,
      status: token.status,
      ...(token.reason === undefined ? {} : { reason: token.reason }),
      probes: token.probes.map((probe) => ({
        database: probe.database,
        action: probe.action,
        expected: probe.expected,
        observed: typeof probe.observed === 'string' ? probe.observed : 'error',
        ...(typeof probe.observed === 'string' ? {} : { error: probe.observed.error }),
        ok: probe.ok,
        ...(probe.ok ? {} : { message: describeProbe(probe) }),
      })),
    })),
    summary: report.summary,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
