// Manifests for the benchmarks, written as YAML text.
import { withMarkerFrom } from './marker.mjs';

/** `count` flat tokens, each reading `database`: `token-00000`, `token-00001`, … */
export function flatManifest(count, database) {
  const lines = ['version: 1', 'tokens:'];
  for (let i = 0; i < count; i += 1) {
    lines.push(`  - name: ${flatName(i)}`);
    lines.push(`    description: Token ${i} of the apply benchmark`);
    lines.push(`    read: [${database}]`);
  }
  return `${lines.join('\n')}\n`;
}

export const flatName = (i) => `token-${String(i).padStart(5, '0')}`;

/**
 * The create request bodies the CLI sends for `flatManifest(count, database)`: the same
 * description with the same marker, the same permissions (no expiry).
 */
export async function flatCreateBodies(count, database) {
  const withMarker = await withMarkerFrom();
  return Array.from({ length: count }, (_, i) => ({
    description: withMarker(`Token ${i} of the apply benchmark`, flatName(i)),
    permissions: [{ action: 'read', resource: database }],
  }));
}

/**
 * `teams` teams with `databasesPerTeam` databases each, and `templates` per-database
 * templates: teams × databases × templates tokens, each team's strings in its own file.
 */
export function teamsManifest({ teams, databasesPerTeam, templates, recipient }) {
  const lines = [
    'version: 1',
    'defaults:',
    '  expiresIn: 90d',
    '  descriptionPrefix: "[soak] "',
    'templates:',
  ];
  for (let t = 0; t < templates; t += 1) {
    lines.push(`  - name: "{team}-{database}-role${t}"`);
    lines.push('    per: database');
    lines.push(`    description: "Role ${t} on {database} ({team})"`);
    lines.push('    read: ["{database}"]');
    if (t % 2 === 0) lines.push('    write: ["{database}"]');
  }
  lines.push('outputs:');
  lines.push('  secretsFile: secrets/main.sealed');
  lines.push(`  recipients: [${recipient}]`);
  lines.push('  teamSecretsFile: "secrets/teams/{team}.sealed"');
  lines.push('teams:');
  for (let i = 0; i < teams; i += 1) {
    const team = teamName(i);
    lines.push(`  - name: ${team}`);
    lines.push(`    databases: [${teamDatabases(team, databasesPerTeam).join(', ')}]`);
    lines.push(`    recipients: [${recipient}]`);
  }
  return `${lines.join('\n')}\n`;
}

export const teamName = (i) => `team-${String(i).padStart(3, '0')}`;
export const teamDatabases = (team, count) =>
  Array.from({ length: count }, (_, d) => `${team.replaceAll('-', '_')}_db${d}`);
