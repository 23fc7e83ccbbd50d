import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/format-issue.js';
import { validateManifestText } from '../../src/manifest/load-manifest.js';

// Manifests written to hurt: each is refused with one clear, positioned line that shows
// the offending text safely (escaped, never raw control or bidi characters).
const CASES: { name: string; text: string; message: string }[] = [
  {
    name: 'a Cyrillic look-alike letter in a token name',
    text: 'version: 1\ntokens:\n  - name: grаfana\n    read: [metrics]\n',
    message: 'tokens.yaml:3:11: token name "grаfana" is not valid; did you mean "gr-fana"?',
  },
  {
    name: 'a control character in a token name',
    text: 'version: 1\ntokens:\n  - name: "graf\\u0007ana"\n    read: [metrics]\n',
    message: 'tokens.yaml:3:11: token name "graf\\u0007ana" is not valid',
  },
  {
    name: 'a NUL in a database name',
    text: 'version: 1\ntokens:\n  - name: g\n    read: ["metr\\u0000ics"]\n',
    message:
      'tokens.yaml:4:12: item 1 of "read" in token "g" is not a valid database name: "metr\\u0000ics"',
  },
  {
    name: 'a bidi override in a description',
    text: 'version: 1\ntokens:\n  - name: g\n    description: "abc\\u202Edef"\n    read: [metrics]\n',
    message:
      'tokens.yaml:4:18: "description" in token "g" is not one line of text: "abc\\u202edef"',
  },
  {
    name: 'a 3 MB description',
    text: `version: 1\ntokens:\n  - name: g\n    description: "${'x'.repeat(3_000_000)}"\n    read: [metrics]\n`,
    message: 'tokens.yaml:4:18: "description" in token "g" is longer than 1000 characters',
  },
  {
    name: 'a placeholder smuggled in as a team name',
    text: 'version: 1\nteams:\n  - name: "{database}"\n    databases: [a]\ntemplates:\n  - name: "{team}-r"\n    read: ["{database}"]\n',
    message: 'tokens.yaml:3:11: team name "{database}" is not valid',
  },
  {
    name: 'a placeholder smuggled in as a team database',
    text: 'version: 1\nteams:\n  - name: t\n    databases: ["{team}"]\ntemplates:\n  - name: "{team}-r"\n    read: ["{database}"]\n',
    message:
      'tokens.yaml:4:17: item 1 of "databases" in team "t" is not a valid database name: "{team}"',
  },
  {
    name: 'nested braces in a template name',
    text: 'version: 1\nteams:\n  - name: t\n    databases: [a]\ntemplates:\n  - name: "{team}-{{team}}"\n    read: ["{database}"]\n',
    message: 'tokens.yaml:6:11: "name" in template "{team}-{{team}}" is not a valid template name',
  },
];

// eslint-disable-next-line no-control-regex -- these are exactly the characters to look for
const UNSAFE = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

describe('hostile manifests', () => {
  it.each(CASES)('refuses $name', ({ text, message }) => {
    const result = validateManifestText(text, 'tokens.yaml', {
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.issues.map(formatIssue);
    expect(lines.some((line) => line.startsWith(message))).toBe(true);
    // Nothing invisible or terminal-controlling reaches the message.
    for (const line of lines) expect(line).not.toMatch(UNSAFE);
  });
});
