import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import { createNodeFetch } from '../../src/api/create-node-fetch.js';
import { listedToken, startHostileServer } from '../helpers/hostile-server.js';

const accountId = randomUUID();
const clusterId = randomUUID();

describe('the node:http transport under ky', () => {
  it('sends the JSON body with its length and inflates a gzip answer', async () => {
    const bodies: string[] = [];
    const headers: Record<string, string | string[] | undefined>[] = [];
    const server = await startHostileServer((request, response) => {
      headers.push(request.headers);
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (text += chunk));
      request.on('end', () => {
        bodies.push(text);
        const created = {
          ...listedToken(accountId, clusterId, randomUUID(), 'd'),
          accessToken: 'apiv1_x',
        };
        response.writeHead(201, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        response.end(gzipSync(JSON.stringify(created)));
      });
    });
    const client = createManagementClient({
      url: server.url,
      accountId,
      clusterId,
      managementToken: 'mgmt_test',
    });
    const created = await client.createToken({ description: 'd', permissions: [] });
    expect(created.accessToken).toBe('apiv1_x');
    expect(JSON.parse(bodies[0] ?? '')).toEqual({ description: 'd', permissions: [] });
    expect(headers[0]?.['content-length']).toBe(String(Buffer.byteLength(bodies[0] ?? '')));
    expect(headers[0]?.['content-type']).toBe('application/json');
    expect(headers[0]?.authorization).toBe('Bearer mgmt_test');
  });

  it('reuses one kept-alive connection for calls made one after another', async () => {
    const ports = new Set<number>();
    const server = await startHostileServer((request, response) => {
      ports.add(request.socket.remotePort ?? 0);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('[]');
    });
    const client = createManagementClient({
      url: server.url,
      accountId,
      clusterId,
      managementToken: 'mgmt_test',
    });
    for (let i = 0; i < 5; i += 1) await client.listTokens();
    expect(ports.size).toBe(1);
  });

  it('answers a Request body it was not given as bytes, and null for a 204', async () => {
    const server = await startHostileServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        response.writeHead(text === 'ping' ? 204 : 400);
        response.end();
      });
    });
    const fetch = createNodeFetch();
    const response = await fetch(new Request(server.url, { method: 'POST', body: 'ping' }));
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect(response.url).toBe(server.url);
  });

  it('errors a body being read when the signal aborts', async () => {
    const server = await startHostileServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
    });
    const controller = new AbortController();
    const fetch = createNodeFetch();
    const response = await fetch(new Request(server.url, { signal: controller.signal }));
    const reader = response.body?.getReader();
    expect((await reader?.read())?.value).toBeDefined();
    controller.abort();
    await expect(reader?.read()).rejects.toThrow(/abort/i);
  });
});
