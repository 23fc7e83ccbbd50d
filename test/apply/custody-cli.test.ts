import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseMarker } from '../../src/plan/marker.js';
import { clientFor } from '../helpers/emulator.js';
import { expectNoSecretsPrinted, startTestProject } from '../helpers/project.js';
import { checkInvariants } from '../helpers/invariants.js';

expectNoSecretsPrinted();

it('finding 1: a hand-made token carrying the marker is revoked; the sealed one stays', async () => {
  const { dir, key, emulator, provision } = await startTestProject({
    prefix: 'custody-cli',
    manifest:
      'version: 1\ntokens:\n  - name: grafana\n    description: Dashboards\n    read: [metrics]\n',
    emulator: { databases: ['metrics'] },
  });
  // The manifest's own secrets file, so plan and apply read the same evidence.
  const apply = () => provision(['apply', '--yes', '--recipient', key.recipient]);

  expect((await apply()).code).toBe(0);
  const [sealed] = emulator.store.tokens();
  // Someone copies the description by hand, marker and all; it is newer than the sealed one.
  const handMade = await clientFor(emulator).createToken({
    description: 'Dashboards [provision:grafana]',
    permissions: [{ action: 'read', resource: 'metrics' }],
  });

  const second = await apply();
  expect(second.code, second.stdout + second.stderr).toBe(0);
  expect(second.stdout).toContain('keeping the one whose string is sealed');
  const live = emulator.store
    .tokens()
    .filter((t) => t.revokedAt === undefined && parseMarker(t.description)?.name === 'grafana');
  expect(live.map((t) => t.id)).toEqual([sealed?.id]);
  expect(emulator.store.tokens().find((t) => t.id === handMade.id)?.revokedAt).toBeDefined();

  const report = await checkInvariants(
    emulator,
    [join(dir, 'secrets/tokens.sealed')],
    key.identity,
    [],
  );
  expect(report).toMatchObject({ duplicates: [], unsealed: [] });
  const plan = await provision(['plan', '--detailed-exitcode']);
  expect(plan.code, plan.stdout).toBe(0);
});
