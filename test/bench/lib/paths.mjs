// Paths the benchmarks share, resolved from this file so any working directory works.
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../../bin/provision.js', import.meta.url));
/** file: URL of the built code, for dynamic imports. */
export const DIST_URL = new URL('../../../dist/', import.meta.url).href;
/** Preloaded into measured CLI runs to report their own CPU time and peak memory. */
export const USAGE_HOOK = fileURLToPath(new URL('./report-usage.mjs', import.meta.url));
