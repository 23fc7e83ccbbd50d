// Reading files that no one reviews: regular files only, each under a named size cap.
export { READ_LIMITS } from './read-limits.js';
export { readRegularFile, readRegularFileSync } from './read-regular-file.js';
export type { ReadOutcome, ReadProblem } from './read-regular-file.js';
export { formatBytes } from './format-bytes.js';
export { syncFolder, writeNewFile } from './write-new-file.js';
export { errnoCode, describeSystemError } from './system-errors.js';
