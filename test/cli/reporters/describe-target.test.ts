import { expect, it } from 'vitest';
import { describeTarget } from '../../../src/cli/reporters/describe-target.js';

it.each([
  [
    { product: 'dedicated', url: 'u', accountId: 'A', clusterId: 'C' } as const,
    'Cluster C (account A)',
  ],
  [
    { product: 'clustered', url: 'https://h/api/v0' } as const,
    'Clustered cluster https://h/api/v0',
  ],
])('names the target of a plan: %j', (target, text) => {
  expect(describeTarget(target)).toBe(text);
});
