import { computePlan } from '../plan/index.js';
import { findLostSecrets, type SealedEvidence } from '../plan/index.js';
import { withMarker } from '../plan/index.js';
import type { PlanInput, PlannedChange } from '../plan/index.js';

/** One token to adopt: its id and the declared name it will carry. */
export interface ImportSpec {
  name: string;
  tokenId: string;
}

/** What the next `provision plan` will do once the imports are done. */
export interface ImportPreview {
  /** Per import, in input order: the planned change for the adopted token. */
  changes: { name: string; tokenId: string; change: PlannedChange | null }[];
  /** Problems that would stop the next plan, e.g. an unknown database. */
  problems: string[];
}

/**
 * Plans as if the imports were done (each token's description with its marker added, its
 * human text kept), limited to the imported names, so the user sees the update, or
 * the replace, that the next `plan` will make. Pure. `evidence` is what the secrets files
 * say, read as `plan` reads it, so the preview and the next apply judge custody alike.
 */
export function previewImports(
  input: Omit<PlanInput, 'options'>,
  imports: readonly ImportSpec[],
  evidence: SealedEvidence = { sealedTokenIds: new Set(), unresolvedIntents: [] },
): ImportPreview {
  const nameById = new Map(imports.map((spec) => [spec.tokenId, spec.name]));
  const actual = input.actual.map((token) => {
    const name = nameById.get(token.id);
    return name === undefined
      ? token
      : { ...token, description: withMarker(token.description, name) };
  });
  const { plan, problems } = computePlan({
    ...input,
    actual,
    options: {
      prune: false,
      replace: [],
      only: imports.map((spec) => spec.name),
      expiringWithin: null,
      // Judged on the tokens as they will be (marker added), exactly as the next plan will.
      lostSecretIds: findLostSecrets(evidence, actual),
      sealedTokenIds: [...evidence.sealedTokenIds],
    },
  });
  return {
    changes: imports.map((spec) => ({
      ...spec,
      change:
        plan.changes.find(
          (change) => change.name === spec.name && change.before?.id === spec.tokenId,
        ) ?? null,
    })),
    problems: problems.map((problem) =>
      problem.hint === undefined ? problem.message : `${problem.message}; ${problem.hint}`,
    ),
  };
}
