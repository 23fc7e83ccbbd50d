import { Command } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { readBoolean, readStrings } from '../../../src/cli/program/read-option.js';
import { addPlanOptions, readPlanOptions } from '../../../src/cli/program/shared-options.js';

function parsePlanFlags(argv: string[]): Record<string, unknown> {
  const command = new Command('plan').exitOverride();
  addPlanOptions(command);
  command.parse(argv, { from: 'user' });
  return command.opts();
}

describe('readPlanOptions', () => {
  it('reads back what commander parsed, leaving out flags not given', () => {
    const values = parsePlanFlags(['--prune', '--replace', 'a', '--replace', 'b', '--debug']);
    expect(readPlanOptions(values)).toEqual({
      file: 'tokens.yaml',
      timeout: '60s',
      prune: true,
      replace: ['a', 'b'],
      debug: true,
    });
  });

  it('reads every connection flag', () => {
    const values = parsePlanFlags([
      '-f',
      'm.yaml',
      '--management-url',
      'http://x',
      '--account-id',
      'acc',
      '--cluster-id',
      'clu',
      '--management-token-file',
      'token.txt',
      '--timeout',
      '5s',
      '--only',
      'team:a',
      '--expiring-within',
      '7d',
      '--allow-missing-databases',
    ]);
    expect(readPlanOptions(values)).toEqual({
      file: 'm.yaml',
      managementUrl: 'http://x',
      accountId: 'acc',
      clusterId: 'clu',
      managementTokenFile: ['token.txt'],
      timeout: '5s',
      only: ['team:a'],
      expiringWithin: '7d',
      allowMissingDatabases: true,
    });
  });
});

describe('read-option', () => {
  it('a value of the wrong shape is a bug, not a flag left out', () => {
    expect(() => readStrings({ only: 'a' }, 'only')).toThrow('option only: expected a list');
    expect(() => readBoolean({ prune: 'yes' }, 'prune')).toThrow('option prune: expected true');
    expect(() => readPlanOptions({})).toThrow('option file: its default is missing');
  });
});
