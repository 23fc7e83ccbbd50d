import pLimit from 'p-limit';
import { expect, it } from 'vitest';
import type { ClientEvent } from '../../src/api/types.js';
import type { DatabaseToken } from '../../src/model/index.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';

it('1,000 list/get/patch calls under 20% 5xx and 10% 429 all succeed with correct results', async () => {
  const emulator = await startTestEmulator({ seed: 42, retryAfterSeconds: 0, databases: ['db'] });
  let retried = 0;
  const client = clientFor(emulator, {
    retry: { limit: 15, baseDelayMs: 1, maxDelayMs: 4 },
    onEvent: (event: ClientEvent) => {
      if (event.type === 'retry') retried += 1;
    },
  });
  const tokens: DatabaseToken[] = [];
  for (let i = 0; i < 10; i += 1)
    tokens.push(await client.createToken({ description: `t${i}`, permissions: [] }));
  emulator.setFaults({ errorRate: 0.2, rateLimitRate: 0.1 });

  // What each token should look like after the calls so far; every answer is checked against it.
  const expected = new Map(
    tokens.map((t) => [t.id, { description: t.description, resources: [] as string[] }]),
  );
  const limit = pLimit(8);
  const calls = Array.from({ length: 1_000 }, (_, i) =>
    limit(async () => {
      const token = tokens[i % tokens.length]!;
      if (i % 3 === 0) {
        const listed = await client.listTokens();
        expect(listed.map((t) => t.id).sort()).toEqual(tokens.map((t) => t.id).sort());
      } else if (i % 3 === 1) {
        const fetched = await client.getToken(token.id);
        expect(fetched.id).toBe(token.id);
        expect(fetched.description).toMatch(/^t\d+(-\d+)?$/);
      } else {
        // A PATCH replaces both fields, so its answer must be exactly what was sent; faults
        // happen before any work, so the last PATCH answered is the state that stays.
        const description = `${token.description.split('-')[0]}-${i}`;
        const resources = [`db${i}`];
        const updated = await client.updateToken(token.id, {
          description,
          permissions: resources.map((resource) => ({ action: 'read', resource })),
        });
        expect(updated).toMatchObject({
          id: token.id,
          description,
          permissions: [{ action: 'read', resource: resources[0] }],
        });
        expected.set(token.id, { description, resources });
      }
    }),
  );
  await Promise.all(calls);

  const { faults } = emulator.store.counters;
  expect(faults.serverErrors).toBeGreaterThan(100);
  expect(faults.rateLimited).toBeGreaterThan(50);
  expect(retried).toBe(faults.serverErrors + faults.rateLimited);
  emulator.setFaults({ errorRate: 0, rateLimitRate: 0 });
  for (const token of await client.listTokens()) {
    const want = expected.get(token.id)!;
    expect(token.description).toBe(want.description);
    expect(token.permissions.map((p) => p.resource)).toEqual(want.resources);
  }
});
