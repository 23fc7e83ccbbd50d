import type { DatabaseToken } from '../../model/index.js';
import { count, expiryText, humanText, permissionDiff } from './plan-words.js';
import type { PlannedChange } from '../../plan/index.js';
import { withMarker } from '../../plan/index.js';
import type { AmbiguousImport, ImportProposal } from '../../import/index.js';
import type { ImportPreview } from '../../import/index.js';

const NEXT_PLAN = 'the next `provision plan`';

/** What `provision import NAME TOKEN_ID` will do, and what the next plan will do after it. */
export function renderSingleImport(
  name: string,
  token: DatabaseToken,
  preview: ImportPreview,
): string {
  const lines = [
    `Import token ${token.id} as ${name}:`,
    `  description: ${JSON.stringify(token.description)} → ${JSON.stringify(withMarker(token.description, name))}`,
    '  Only the marker is added now; permissions and expiry are left as they are.',
    '',
    ...nextPlanLines(name, preview.changes[0]?.change ?? null),
    ...problemLines(preview.problems),
    '',
    `Its token string was never sealed; run \`provision apply --replace ${name}\` to rotate it into the secrets file.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The `--all-matching` proposal: name ← token id, the ambiguous names, the next plan. */
export function renderImportMatches(
  proposals: readonly ImportProposal[],
  ambiguous: readonly AmbiguousImport[],
  preview: ImportPreview,
): string {
  const lines: string[] = [];
  if (proposals.length === 0) {
    lines.push('No unmanaged token matches a missing declared token exactly; nothing to import.');
  } else {
    lines.push(
      `Import plan: ${count(proposals.length, 'unmanaged token')} ${proposals.length === 1 ? 'matches' : 'match'} a declared token missing from the cluster (description and permissions).`,
    );
    for (const proposal of proposals) {
      lines.push(
        `  ${proposal.name} ← ${proposal.token.id} ${JSON.stringify(proposal.token.description)}`,
      );
      const change = preview.changes.find((entry) => entry.name === proposal.name)?.change;
      if (change !== undefined && change !== null && change.action !== 'no-op') {
        lines.push(`      then ${NEXT_PLAN} will ${change.action} it: ${change.reason}`);
      }
    }
  }
  if (ambiguous.length > 0) {
    lines.push(
      '',
      'Ambiguous, not imported (choose one with `provision import NAME TOKEN_ID`):',
      ...ambiguous.map((entry) => `  ${entry.name}: ${entry.reason}: ${entry.tokenIds.join(', ')}`),
    );
  }
  lines.push(...problemLines(preview.problems));
  if (proposals.length > 0) {
    lines.push(
      '',
      `Their token strings were never sealed; run \`provision apply --replace NAME\` for each to rotate it into the secrets file.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function nextPlanLines(name: string, change: PlannedChange | null): string[] {
  if (change === null || change.action === 'no-op') {
    return [`Then ${NEXT_PLAN} makes no change to ${name}: it matches the manifest.`];
  }
  const lines = [`Then ${NEXT_PLAN} will ${change.action} ${name}: ${change.reason}`];
  const { before, after } = change;
  if (before === null || after === null) return lines;
  const oldText = humanText(before.description);
  const newText = humanText(after.description);
  if (oldText !== newText)
    lines.push(`      description: ${JSON.stringify(oldText)} → ${JSON.stringify(newText)}`);
  const { removed, added } = permissionDiff(before.permissions, after.permissions);
  if (removed.length + added.length > 0) {
    lines.push('      permissions:');
    for (const permission of removed) lines.push(`        - ${permission}`);
    for (const permission of added) lines.push(`        + ${permission}`);
  }
  if (change.action === 'replace') lines.push(`      expires: ${expiryText(after)}`);
  return lines;
}

function problemLines(problems: readonly string[]): string[] {
  if (problems.length === 0) return [];
  return [
    '',
    `Note: ${NEXT_PLAN} will refuse until this is fixed:`,
    ...problems.map((p) => `  ${p}`),
  ];
}
