import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/format-issue.js';
import { validateManifestText } from '../../src/manifest/load-manifest.js';

// Rule paths the fixture corpus does not reach, each with every line it prints.
const NOW = new Date('2026-06-01T00:00:00Z');
const R1 = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

const cases: [string, string, string[]][] = [
  [
    'wildcardRead',
    `version: 1\npolicy:\n  forbidWildcardRead: true\ntokens:\n  - name: reader\n    read: ["*"]\n`,
    [
      'tokens.yaml:6:12: token "reader" reads every database ("*"), which policy.forbidWildcardRead forbids; name the databases instead, or set policy.forbidWildcardRead: false',
    ],
  ],
  [
    'neverRequired',
    `version: 1\npolicy:\n  requireExpiry: true\ndefaults:\n  expiresIn: 30d\ntokens:\n  - name: forever\n    read: [m]\n    expiresIn: never\n`,
    [
      'tokens.yaml:9:16: token "forever" never expires, but policy.requireExpiry is set; add expiresIn (e.g. 90d) or expiresAt, or set defaults.expiresIn',
    ],
  ],
  [
    'defaultsOverMax',
    `version: 1\npolicy:\n  maxExpiry: 30d\ndefaults:\n  expiresIn: 90d\ntokens:\n  - name: a\n    read: [m]\n  - name: b\n    read: [m]\n`,
    [
      'tokens.yaml:5:14: defaults.expiresIn (90d) is longer than policy.maxExpiry (30d); use at most 30d',
    ],
  ],
  [
    'atOverMax',
    `version: 1\npolicy:\n  maxExpiry: 30d\ntokens:\n  - name: a\n    read: [m]\n    expiresAt: 2030-01-01T00:00:00Z\n`,
    [
      'tokens.yaml:7:16: token "a" expires at 2030-01-01T00:00:00Z, more than policy.maxExpiry (30d) from now; choose a time within 30d',
    ],
  ],
  [
    'rotationToken',
    `version: 1\ntokens:\n  - name: a\n    read: [m]\n    expiresIn: 30d\n    rotateAfter: 30d\n`,
    [
      'tokens.yaml:6:18: warning: token "a" expires after 30d but is rotated only after 30d; make rotateAfter shorter than the expiry, or the token lapses before it is replaced',
    ],
  ],
  [
    'rotationDefaults',
    `version: 1\ndefaults:\n  expiresIn: 30d\n  rotateAfter: 60d\ntokens:\n  - name: a\n    read: [m]\n  - name: b\n    read: [m]\n`,
    [
      'tokens.yaml:4:16: warning: defaults.rotateAfter (60d) is not shorter than defaults.expiresIn (30d); make rotateAfter shorter than the expiry, or the token lapses before it is replaced',
    ],
  ],
  [
    'rotationMixed',
    `version: 1\ndefaults:\n  rotateAfter: 60d\ntokens:\n  - name: a\n    read: [m]\n    expiresIn: 30d\n`,
    [
      'tokens.yaml:7:16: warning: token "a" expires after 30d, before defaults.rotateAfter (60d) would rotate it; make rotateAfter shorter than the expiry, or the token lapses before it is replaced',
    ],
  ],
  [
    'teamRecipientsUnused',
    `version: 1\nteams:\n  - name: p\n    databases: [d]\n    recipients: [${R1}]\ntemplates:\n  - name: "{team}-r"\n    read: ["{database}"]\n`,
    [
      'tokens.yaml:5:5: warning: team recipients are used only with outputs.teamSecretsFile; set outputs.teamSecretsFile (e.g. secrets/{team}.sealed), or remove them',
    ],
  ],
  [
    'teamsWithoutTemplates',
    `version: 1\nteams:\n  - name: p\n`,
    [
      'tokens.yaml:2:1: warning: teams are declared but no template uses them, so they yield no tokens; add templates:, or remove teams:',
    ],
  ],
  [
    'yieldsNothing',
    `version: 1\nteams:\n  - name: p\ntemplates:\n  - name: "{team}-{database}-w"\n    per: database\n    write: ["{database}"]\n`,
    [
      'tokens.yaml:5:5: warning: template "{team}-{database}-w" yields no tokens; its teams have no databases, or no team matches its teams: list',
    ],
  ],
  [
    'ownPreviousName',
    `version: 1\ntokens:\n  - name: a\n    read: [m]\n    previousNames: [a]\n`,
    [
      'tokens.yaml:5:21: token "a" lists its own name "a" as a previous name; remove it from previousNames',
    ],
  ],
  [
    'templatePreviousInvalid',
    `version: 1\nteams:\n  - name: p\n    databases: [D]\ntemplates:\n  - name: "{team}-r"\n    read: ["{database}"]\n    previousNames: ["{team}-${'x'.repeat(70)}"]\n`,
    [
      'tokens.yaml:8:21: previous name "p-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" of template "{team}-r" for team "p" is not a valid token name; token names use lowercase letters, digits, ".", "_" and "-" (at most 64)',
    ],
  ],
  [
    'teamBadChecksum',
    `version: 1\noutputs:\n  teamSecretsFile: "s/{team}.sealed"\nteams:\n  - name: p\n    databases: [d]\n    recipients: [${R1.slice(0, -1)}q]\ntemplates:\n  - name: "{team}-r"\n    read: ["{database}"]\n`,
    [
      'tokens.yaml:7:18: age recipient "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8q" has a wrong checksum; a character is mistyped; copy it again from age-keygen -y',
    ],
  ],
  [
    'teamFilePlaceholder',
    `version: 1\noutputs:\n  teamSecretsFile: "s/{team}-{tema}.sealed"\n`,
    ['tokens.yaml:3:20: unknown placeholder {tema}; did you mean {team}?'],
  ],
  [
    'descriptionPlaceholder',
    `version: 1\nteams:\n  - name: p\n    databases: [d]\ntemplates:\n  - name: "{team}-r"\n    description: "for {database}"\n    read: ["{databse}"]\n`,
    [
      'tokens.yaml:7:18: {database} cannot be used in the description of template "{team}-r", which yields one token per team; set per: database for one token per database, or remove {database}',
      'tokens.yaml:8:12: unknown placeholder {databse}; did you mean {database}?',
    ],
  ],
  [
    'zeroDefaultsOverlap',
    `version: 1\ndefaults:\n  overlap: 0s\n  rotateAfter: 0d\n`,
    [
      'tokens.yaml:4:16: defaults.rotateAfter must be longer than zero and at most 100 years: "0d"; e.g. 90d, 12h or 2w',
    ],
  ],
  [
    'tooLongDuration',
    `version: 1\npolicy:\n  maxExpiry: 36501d\n`,
    [
      'tokens.yaml:3:14: policy.maxExpiry must be longer than zero and at most 100 years: "36501d"; e.g. 90d, 12h or 2w',
    ],
  ],
  [
    'emptyTemplateTeamDbs',
    `version: 1\nteams:\n  - name: p\n  - name: q\n    databases: [d]\ntemplates:\n  - name: "{team}-r"\n    read: ["{database}"]\n`,
    [
      'tokens.yaml:7:5: warning: template "{team}-r" grants no permissions for team "p"; add read:, write: or sets:; such a token can do nothing',
    ],
  ],
  [
    'setViaTemplateWildcard',
    `version: 1\npolicy:\n  forbidWildcardWrite: true\npermissionSets:\n  all:\n    write: ["*"]\nteams:\n  - name: p\n  - name: q\ntemplates:\n  - name: "{team}-admin"\n    sets: [all]\n`,
    [
      'tokens.yaml:12:12: template "{team}-admin" writes to every database ("*") through permission set "all", which policy.forbidWildcardWrite forbids; name the databases instead, or set policy.forbidWildcardWrite: false',
    ],
  ],
  [
    'selfInclude',
    `version: 1\npermissionSets:\n  a:\n    include: [a]\n    read: [m]\ntokens:\n  - name: t\n    sets: [a]\n`,
    [
      'tokens.yaml:4:15: permission set "a" includes itself: a → a; remove one include from the loop',
    ],
  ],
  [
    'cryptic',
    `version: 1\ntokens:\n  - name: "a"\n    read: [m]\n    "1": x\n    1: y\n`,
    [
      'tokens.yaml:6:5: duplicate key "1"; a key may appear only once in a mapping; merge the two entries',
    ],
  ],
  [
    'tokenWordTop',
    `version: 1\nmanagementToken: x\n`,
    [
      'tokens.yaml:2:1: the management token is never read from the manifest; delete this key; set INFLUX_MANAGEMENT_TOKEN or pass --management-token-file',
    ],
  ],
];

describe('semantic rules', () => {
  it.each(cases)('%s', (_name, text, expected) => {
    const result = validateManifestText(text, 'tokens.yaml', { now: NOW });
    const issues = result.ok ? result.warnings : result.issues;
    expect(issues.map(formatIssue)).toEqual(expected);
    expect(result.ok).toBe(expected.every((line) => line.includes(': warning: ')));
  });
});
