import { describe, expect, it } from 'vitest';
import { SecretsError } from '../../src/errors.js';
import { indexSecretsFile } from '../../src/secrets/index.js';
import { parseSecretsFile } from '../../src/secrets/parse-secrets-file.js';

const header = JSON.stringify({
  format: 'provision-secrets',
  version: 1,
  passphrase: false,
  recipients: ['age1r'],
  fileRecipient: 'age1f',
  fileKey: 'AAAA',
});
const intent = (id: string, name: string) =>
  JSON.stringify({ type: 'intent', intent: id, name, team: null, at: 't' });
const sealed = (id: string, name: string, tokenId = `tok-${name}`) =>
  JSON.stringify({
    type: 'sealed',
    intent: id,
    name,
    team: null,
    tokenId,
    createdAt: 'c',
    sealedAt: 's',
    data: 'ZGF0YQ==',
  });
const renamed = (tokenId: string, from: string, to: string) =>
  JSON.stringify({ type: 'renamed', tokenId, from, to, at: 't' });
const revoked = (tokenId: string, name: string) =>
  JSON.stringify({ type: 'revoked', tokenId, name, at: 't' });
const abandoned = (id: string, name: string) =>
  JSON.stringify({ type: 'abandoned', intent: id, name, at: 't' });

function index(lines: string[]) {
  const result = indexSecretsFile(parseSecretsFile([header, ...lines].join('\n'), 'f'));
  return {
    sealed: result.entries.map((e) => e.tokenId),
    open: result.unresolvedIntents.map((i) => i.name),
  };
}

describe('parseSecretsFile and indexSecretsFile', () => {
  it.each([
    ['empty body', [''], [], []],
    ['intent then sealed', [intent('1', 'a'), sealed('1', 'a'), ''], ['tok-a'], []],
    ['intent only', [intent('1', 'a'), ''], [], ['a']],
    ['abandoned', [intent('1', 'a'), abandoned('1', 'a'), ''], [], []],
    ['torn last line', [intent('1', 'a'), sealed('1', 'a').slice(0, 50)], [], ['a']],
    ['complete last line without newline', [intent('1', 'a'), sealed('1', 'a')], ['tok-a'], []],
    [
      'record glued after a torn one',
      [intent('1', 'a'), intent('2', 'b'), sealed('1', 'a').slice(0, 70) + sealed('2', 'b'), ''],
      ['tok-b'],
      ['a'],
    ],
    [
      'torn line terminated by the next writer',
      [sealed('1', 'a').slice(0, 9), sealed('2', 'b')],
      ['tok-b'],
      [],
    ],
    [
      'blank and foreign lines',
      ['', 'garbage', '{"type":"future"}', '[1]', sealed('1', 'a')],
      ['tok-a'],
      [],
    ],
    ['duplicate token id', [sealed('1', 'a', 'same'), sealed('2', 'b', 'same')], ['same'], []],
    [
      'a retried create: a later sealed line of the name resolves the earlier intents',
      [intent('1', 'a'), intent('2', 'a'), intent('3', 'a'), sealed('3', 'a'), ''],
      ['tok-a'],
      [],
    ],
    [
      'an intent after the sealed line of its name stays open',
      [intent('1', 'a'), sealed('1', 'a'), intent('2', 'a'), ''],
      ['tok-a'],
      ['a'],
    ],
    [
      'a sealed line of another name resolves nothing',
      [intent('1', 'a'), intent('2', 'b'), sealed('2', 'b'), ''],
      ['tok-b'],
      ['a'],
    ],
    [
      'renamed and revoked lines are read, and resolve no intent',
      [intent('1', 'a'), renamed('tok-x', 'x', 'a'), revoked('tok-x', 'a'), ''],
      [],
      ['a'],
    ],
  ])('%s', (_, lines, expectedSealed, expectedOpen) => {
    expect(index(lines)).toEqual({ sealed: expectedSealed, open: expectedOpen });
  });

  it.each([
    ['', 'f is not a provision secrets file'],
    ['{"format":"other"}', 'f is not a provision secrets file'],
    ['name: value', 'f is not a provision secrets file'],
    [
      '{"format":"provision-secrets","version":3}',
      'f is a provision secrets file of version 3; this provision reads versions 1 and 2',
    ],
    ['{"format":"provision-secrets","version":1}', "f: the secrets file's header is damaged"],
    ['{"format":"provision-secrets","version":2}', "f: the secrets file's header is damaged"],
    [
      '{"format":"provision-secrets","version":1,"passphrase":false,"recipients":[]}',
      "f: the secrets file's header is damaged",
    ],
  ])('refuses header %j', (line, message) => {
    let error: unknown;
    try {
      parseSecretsFile(`${line}\n`, 'f');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SecretsError);
    expect((error as SecretsError).message).toBe(message);
  });
});
