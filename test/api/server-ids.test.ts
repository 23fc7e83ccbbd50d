import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import { ApiError, OutcomeUnknownError } from '../../src/api/errors.js';
import { UsageError } from '../../src/errors.js';
import { listedToken, sendJson, startHostileServer } from '../helpers/hostile-server.js';

const accountId = randomUUID();
const clusterId = randomUUID();

async function startServer(answer: (method: string) => unknown) {
  const server = await startHostileServer((request, response) => {
    sendJson(response, 200, answer(request.method ?? ''));
  });
  const client = createManagementClient({
    url: server.url,
    accountId,
    clusterId,
    managementToken: 'mgmt-token-for-id-tests',
    retry: { limit: 2, baseDelayMs: 1 },
  });
  return { server, client };
}

describe('token ids from the server are UUIDs or the response is refused', () => {
  it.each(['.', '..', 'a/b', '', '%2e%2e', `${randomUUID()}/..`])(
    'a list with id %j is an invalid response',
    async (id) => {
      const { client, server } = await startServer(() => [
        listedToken(accountId, clusterId, randomUUID(), 'fine'),
        listedToken(accountId, clusterId, id, 'hostile [provision:x]'),
      ]);
      const error = await client.listTokens().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).message).toBe(
        '200 OK from GET …/tokens: unexpected response: tokens[1].id is not a UUID',
      );
      expect(server.requests).toHaveLength(1);
    },
  );

  it('a created token whose id is not a UUID is an unknown outcome', async () => {
    const { client } = await startServer(() => ({
      ...listedToken(accountId, clusterId, '..', 'x'),
      accessToken: `apiv1_${'a'.repeat(64)}`,
    }));
    const error = await client.createToken({ description: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as Error).message).toBe(
      'POST …/tokens: outcome unknown (created token.id is not a UUID); it may have been committed',
    );
    expect((error as Error).message).not.toContain('apiv1_');
  });

  it('a get or update answering with another shape of id is refused', async () => {
    const { client } = await startServer(() => listedToken(accountId, clusterId, 'a/b', 'x'));
    await expect(client.getToken(randomUUID())).rejects.toThrow(
      /: unexpected response: token.id is not a UUID$/,
    );
  });
});

describe('a token id goes into a path only when it is a UUID', () => {
  it.each(['.', '..', '../..', 'a/b', '', 'x?y'])(
    '%j is refused before anything is sent',
    async (id) => {
      const { client, server } = await startServer(() => ({}));
      for (const call of [
        () => client.getToken(id),
        () => client.updateToken(id, { description: 'x' }),
        () => client.revokeToken(id),
      ]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toMatch(/^token id .* is not a UUID/);
      }
      expect(server.requests).toEqual([]);
    },
  );
});
