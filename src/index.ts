// The library surface: what tests and other programs may import.
export * from './errors.js';
export type * from './api/types.js';
export type * from './manifest/types.js';
