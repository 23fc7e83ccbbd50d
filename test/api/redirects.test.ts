import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import { ApiError } from '../../src/api/errors.js';
import type { ManagementApi } from '../../src/api/types.js';
import { sendJson, startHostileServer } from '../helpers/hostile-server.js';

const managementToken = `mgmt_${randomUUID()}`;

/** A second origin that would answer as a perfect Management API, if anything reached it. */
async function startRedirectPair(status: number) {
  const elsewhere = await startHostileServer((_request, response) => {
    sendJson(response, 200, []);
  });
  const redirecting = await startHostileServer((request, response) => {
    response.writeHead(status, {
      location: `http://${elsewhere.host}${request.url ?? '/'}?sig=${managementToken}`,
    });
    response.end();
  });
  const client: ManagementApi = createManagementClient({
    url: redirecting.url,
    accountId: randomUUID(),
    clusterId: randomUUID(),
    managementToken,
    retry: { limit: 2, baseDelayMs: 1 },
  });
  return { elsewhere, redirecting, client };
}

describe('redirects are never followed', () => {
  it.each([301, 302, 303, 307, 308])(
    '%i on a list is an error naming the status and host',
    async (status) => {
      const { elsewhere, redirecting, client } = await startRedirectPair(status);
      const error = await client.listTokens().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      const { message, hint } = error as ApiError;
      expect(message).toMatch(
        new RegExp(
          `^${status} [A-Za-z ]+ from GET …/tokens: redirects are not followed \\(Location: ${elsewhere.host.replace(/\./g, '\\.')}\\)$`,
        ),
      );
      expect(hint).toMatch(/INFLUX_MANAGEMENT_URL/);
      expect(`${message} ${hint ?? ''}`).not.toContain('sig=');
      expect(`${message} ${hint ?? ''}`).not.toContain(managementToken);
      expect(elsewhere.requests).toEqual([]);
      // An answer, not a failure: not retried.
      expect(redirecting.requests).toHaveLength(1);
    },
  );

  it('a create that is redirected sends nothing to the other origin', async () => {
    const { elsewhere, client } = await startRedirectPair(307);
    await expect(client.createToken({ description: 'x' })).rejects.toThrow(
      /^307 Temporary Redirect from POST …\/tokens: redirects are not followed/,
    );
    expect(elsewhere.requests).toEqual([]);
  });

  it('a redirect without a usable Location says so', async () => {
    const server = await startHostileServer((_request, response) => {
      response.writeHead(302, { location: 'http://[not a host' });
      response.end();
    });
    const client = createManagementClient({
      url: server.url,
      accountId: randomUUID(),
      clusterId: randomUUID(),
      managementToken,
    });
    await expect(client.listDatabases()).rejects.toThrow(
      '302 Found from GET …/databases: redirects are not followed (no usable Location)',
    );
  });
});
