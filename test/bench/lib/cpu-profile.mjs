// Reads a `node --cpu-prof` profile and says where the time went, by module family. Each
// sample is charged to the innermost frame that belongs to a known family, so a fetch made by
// ky counts as ky's, while undici's own socket callbacks (no caller of ours on the stack)
// count as "fetch internals" (and node:http's as "node:http and sockets").
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

const FAMILIES = [
  [/node_modules\/(age-encryption|@noble|@scure)\//, 'age-encryption (sealing crypto)'],
  [/\/(dist|src)\/secrets\//, 'secrets writer (native X25519, file writes)'],
  [/node_modules\/ky\//, 'ky (Request, clone, timeout)'],
  [/\/(dist|src)\/api\//, 'API client (dist/api)'],
  [
    /node_modules\/(yaml|ajv|ajv-formats|fast-uri|fast-deep-equal|json-schema-traverse)\//,
    'yaml + ajv (manifest load)',
  ],
  [/\/(dist|src)\/manifest\//, 'manifest (dist/manifest)'],
  [/\/(dist|src)\/plan\//, 'planner (dist/plan)'],
  [/\/(dist|src)\/apply\//, 'executor (dist/apply)'],
  [/node_modules\/(p-limit|yocto-queue)\//, 'p-limit'],
  [/\/(dist|src)\/cli\//, 'CLI (dist/cli: output, plan text)'],
  [/node_modules\/(commander|picocolors|listr2|@inquirer)/, 'CLI libraries'],
];
const SPECIAL = new Set(['(idle)', '(garbage collector)', '(program)']);

/**
 * `rows`: `[family, ms]` pairs, largest first; `totalMs`: the profile's duration; `phase`: the
 * time before the first sample inside `phaseFunction` (start-up, manifest, planning) and the
 * busy and idle time from then on.
 */
export function summariseCpuProfile(path, phaseFunction = 'executePlan') {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map();
  const phase = { beforeMs: 0, busyMs: 0, idleMs: 0 };
  let inPhase = false;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + us);
    inPhase ||= onStack(id, phaseFunction, nodes, parent);
    if (!inPhase) phase.beforeMs += us / 1000;
    else if (nodes.get(id).callFrame.functionName === '(idle)') phase.idleMs += us / 1000;
    else phase.busyMs += us / 1000;
  });
  const families = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    totalUs += us;
    const family = familyOf(id, nodes, parent);
    families.set(family, (families.get(family) ?? 0) + us);
  }
  return {
    totalMs: totalUs / 1000,
    phase,
    rows: [...families].map(([family, us]) => [family, us / 1000]).sort((a, b) => b[1] - a[1]),
  };
}

function onStack(id, functionName, nodes, parent) {
  for (let current = id; current !== undefined; current = parent.get(current)) {
    if (nodes.get(current).callFrame.functionName === functionName) return true;
  }
  return false;
}

const sourceMaps = new Map();

/**
 * Where a frame's code was written: the CLI runs the bundle (dist/bundle/), whose chunks mix
 * many modules, so a frame there is looked up in the chunk's source map (src/ or node_modules/).
 */
function sourceUrlOf({ url, lineNumber, columnNumber }) {
  if (!/\/dist\/bundle\/[^/]+\.js$/.test(url)) return url;
  const mapUrl = `${url}.map`;
  if (!sourceMaps.has(mapUrl)) {
    const file = new URL(mapUrl);
    sourceMaps.set(
      mapUrl,
      existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null,
    );
  }
  const entry = sourceMaps.get(mapUrl)?.findEntry(lineNumber, columnNumber);
  return entry?.originalSource === undefined ? url : new URL(entry.originalSource, mapUrl).href;
}

function familyOf(id, nodes, parent) {
  const leaf = nodes.get(id).callFrame.functionName;
  if (SPECIAL.has(leaf)) return leaf === '(idle)' ? '(idle: waiting on I/O)' : leaf;
  let sawFetch = false;
  let sawHttp = false;
  for (let current = id; current !== undefined; current = parent.get(current)) {
    const { functionName } = nodes.get(current).callFrame;
    const url = sourceUrlOf(nodes.get(current).callFrame);
    for (const [pattern, family] of FAMILIES) if (pattern.test(url)) return family;
    if (/undici|webstreams/.test(url)) sawFetch = true;
    if (/node:_http|node:net|node:internal\/streams|stream_base|node:zlib/.test(url))
      sawHttp = true;
    if (/^(writev|writeBuffer|writeUtf8String|readv)$/.test(functionName)) sawHttp = true;
  }
  if (sawFetch) return 'fetch internals (undici, web streams)';
  return sawHttp
    ? 'node:http and sockets (no caller of ours on the stack)'
    : 'Node internals (other)';
}
