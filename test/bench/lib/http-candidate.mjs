// One HTTP client candidate making N creates at concurrency C, in its own process, so its CPU
// time is its own: node http-candidate.mjs NAME N C (env: BASE, ACCOUNT, CLUSTER, TOKEN).
// Prints `{ name, ms, cpuPerCallUs }`. `undici` candidates need the package installed.
import http from 'node:http';
import ky from 'ky';
import { DIST_URL } from './paths.mjs';

const [name, n, c] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const { BASE, ACCOUNT, CLUSTER, TOKEN } = process.env;
const url = `${BASE}/accounts/${ACCOUNT}/clusters/${CLUSTER}/tokens`;
const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };
const body = (i) => ({
  description: `Token ${i}`,
  permissions: [{ action: 'read', resource: 'db0' }],
});
const kyOptions = { prefixUrl: url, headers, timeout: false, retry: 0, throwHttpErrors: false };
const viaKy = (instance) => async (i) =>
  JSON.parse(await (await instance('', { method: 'POST', json: body(i) })).text());

async function candidate() {
  switch (name) {
    case 'provision-client': {
      const { createManagementClient } = await import(`${DIST_URL}api/create-management-client.js`);
      const client = createManagementClient({
        url: BASE,
        accountId: ACCOUNT,
        clusterId: CLUSTER,
        managementToken: TOKEN,
      });
      return (i) => client.createToken(body(i));
    }
    case 'ky+fetch':
      return viaKy(ky.create(kyOptions));
    case 'ky+fetch+undici-agent': {
      const { Agent } = await import('undici');
      const dispatcher = new Agent({ connections: c, keepAliveTimeout: 4_000 });
      return viaKy(ky.create({ ...kyOptions, dispatcher }));
    }
    case 'fetch':
      return async (i) => {
        const init = {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
        };
        return JSON.parse(
          await (await fetch(url, { ...init, body: JSON.stringify(body(i)) })).text(),
        );
      };
    case 'undici.request': {
      const { Agent, request } = await import('undici');
      const dispatcher = new Agent({ connections: c, keepAliveTimeout: 4_000 });
      return async (i) => {
        const h = { ...headers, 'content-type': 'application/json' };
        const r = await request(url, {
          method: 'POST',
          headers: h,
          body: JSON.stringify(body(i)),
          dispatcher,
        });
        return JSON.parse(await r.body.text());
      };
    }
    case 'node:http': {
      const agent = new http.Agent({ keepAlive: true, maxSockets: c });
      return (i) =>
        new Promise((resolve, reject) => {
          const text = JSON.stringify(body(i));
          const h = {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
          };
          const req = http.request(url, { method: 'POST', agent, headers: h }, (res) => {
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
          });
          req.on('error', reject);
          req.end(text);
        });
    }
    default:
      throw new Error(`unknown candidate ${name}`);
  }
}

const one = await candidate();
for (let i = 0; i < 50; i += 1) await one(i); // warm up: connections open, code compiled
const cpu = process.cpuUsage();
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: c }, async () => {
    for (let i = next++; i < n; i = next++) await one(i);
  }),
);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ name, ms, cpuPerCallUs: (used.user + used.system) / n }));
