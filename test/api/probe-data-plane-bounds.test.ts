import { describe, expect, it } from 'vitest';
import { probeDataPlane } from '../../src/api/probe-data-plane.js';
import { startHostileServer } from '../helpers/hostile-server.js';

const token = `apiv1_${'7'.repeat(64)}`;

describe('a data-plane probe believes only the cluster it asked, within its deadline', () => {
  it('a redirect is not followed: no verdict comes from another host', async () => {
    const elsewhere = await startHostileServer((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    const cluster = await startHostileServer((request, response) => {
      response.writeHead(307, { location: `http://${elsewhere.host}${request.url ?? '/'}` });
      response.end();
    });
    const result = await probeDataPlane({
      clusterUrl: `http://${cluster.host}`,
      token,
      action: 'read',
      database: 'metrics',
    });
    expect(result).toEqual({ error: 'HTTP 307: redirects are not followed' });
    expect(elsewhere.requests).toEqual([]);
  });

  it('a body that dribbles ends at the deadline', async () => {
    const cluster = await startHostileServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 50);
      response.on('close', () => {
        clearInterval(timer);
      });
    });
    const result = await probeDataPlane({
      clusterUrl: `http://${cluster.host}`,
      token,
      action: 'read',
      database: 'metrics',
      timeoutMs: 300,
    });
    expect(result).toEqual({ error: 'no response within 300 ms' });
  }, 20_000);

  it('an endless body is cut off and the status still counts', async () => {
    const cluster = await startHostileServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!response.destroyed && response.write(chunk)) {
          /* until the socket pushes back */
        }
      };
      response.on('drain', pump);
      pump();
    });
    const result = await probeDataPlane({
      clusterUrl: `http://${cluster.host}`,
      token,
      action: 'read',
      database: 'metrics',
    });
    expect(result).toBe('granted');
  }, 20_000);
});
