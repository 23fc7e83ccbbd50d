import type { PermissionAction } from '../model/index.js';
import type { EmulatorStore } from './emulator-store.js';
import type { Reply } from './http-io.js';

/** Cluster endpoints that check a database token, and the action each needs. */
const ENDPOINTS: Record<string, { action: PermissionAction; methods: string[]; ok: Reply }> = {
  '/api/v2/write': { action: 'write', methods: ['POST'], ok: { status: 204 } },
  '/write': { action: 'write', methods: ['POST'], ok: { status: 204 } },
  '/api/v3/write_lp': { action: 'write', methods: ['POST'], ok: { status: 204 } },
  '/query': {
    action: 'read',
    methods: ['GET', 'POST'],
    ok: { status: 200, body: { results: [{ statement_id: 0 }] } },
  },
  '/api/v3/query_sql': { action: 'read', methods: ['GET', 'POST'], ok: { status: 200, body: [] } },
};

/** The route key of a data-plane path (`write`, `query`), or undefined if it is not one. */
export function dataPlaneOperation(pathname: string): string | undefined {
  const endpoint = ENDPOINTS[pathname];
  return endpoint === undefined ? undefined : endpoint.action === 'write' ? 'write' : 'query';
}

/** A data-plane request, already read. */
export interface DataPlaneRequest {
  method: string;
  url: URL;
  authorization: string | undefined;
  bodyText: string;
}

/**
 * Answers a write or query by the token alone, as the README's emulator section says: 401 when the token is
 * unknown, revoked, expired or not active yet; 404 when the database does not exist; 403
 * when the token lacks the action on it (`*` grants every database); success otherwise.
 * `x-emulator-reason` says why a 401 happened, which the real service does not.
 */
export function routeDataPlane(
  store: EmulatorStore,
  activationDelayMs: number,
  request: DataPlaneRequest,
): Reply {
  const endpoint = ENDPOINTS[request.url.pathname];
  if (endpoint === undefined) return dataError(404, 'not found', 'not found');
  if (!endpoint.methods.includes(request.method))
    return dataError(405, 'method not allowed', 'method not allowed');
  const secret = /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(request.authorization ?? '')?.[1];
  if (secret === undefined) return unauthorized('missing');
  const token = store.findByAccessToken(secret);
  if (token === undefined) return unauthorized('unknown');
  const now = store.now().getTime();
  if (token.revokedAt !== undefined) return unauthorized('revoked');
  if (token.expiresAt !== undefined && Date.parse(token.expiresAt) <= now)
    return unauthorized('expired');
  if (Date.parse(token.createdAt) + activationDelayMs > now) return unauthorized('not-yet-active');

  const params = request.url.searchParams;
  const database = params.get('db') ?? params.get('bucket') ?? params.get('database');
  if (database === null || database === '')
    return dataError(400, 'invalid', 'missing db (or bucket) parameter');
  if (!store.databases.has(database))
    return dataError(404, 'not found', `database not found: ${database}`);
  const granted = token.permissions.some(
    (p) => p.action === endpoint.action && (p.resource === '*' || p.resource === database),
  );
  if (!granted) return dataError(403, 'forbidden', `token may not ${endpoint.action} ${database}`);
  if (endpoint.action === 'write') {
    store.counters.pointsWritten += request.bodyText
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#')).length;
  }
  return endpoint.ok;
}

function unauthorized(reason: string): Reply {
  return {
    ...dataError(401, 'unauthorized', 'unauthorized access'),
    headers: { 'x-emulator-reason': reason },
  };
}

/** The data plane answers like InfluxDB's HTTP API: `{code: "<word>", message}`. */
function dataError(status: number, code: string, message: string): Reply {
  return { status, body: { code, message } };
}
