/** What a value failing a `$defs` pattern is not, and how to write it instead. */
export interface PatternMessage {
  what: string;
  hint: string;
}

/** How to write a token, team or permission set name. */
export const NAME_HINT =
  'use lowercase letters, digits, ".", "_" and "-", start with a letter or digit, at most 64 characters';

/** Keyed by the schema's `$defs` name; a test checks every pattern has an entry. */
export const PATTERN_MESSAGES: Record<string, PatternMessage> = {
  tokenName: { what: 'a valid token name', hint: NAME_HINT },
  teamName: { what: 'a valid team name', hint: NAME_HINT },
  setName: { what: 'a valid permission set name', hint: NAME_HINT },
  databaseName: {
    what: 'a valid database name',
    hint: 'a database name has 1 to 64 characters, without spaces, control characters, "*", "{" or "}"',
  },
  databaseOrWildcard: {
    what: 'a valid database name',
    hint: 'write a database name (1 to 64 characters, no spaces, control characters, "{" or "}"), or "*" alone for every database',
  },
  templateDatabase: {
    what: 'a valid database for a template',
    hint: 'write a database name, "*", or text with {team} and {database}, without spaces or control characters',
  },
  databaseTemplateName: {
    what: 'a valid database name',
    hint: 'a database name has 1 to 64 characters, without spaces, control characters, "*", "{" or "}"; {team} stands for each team',
  },
  retentionPeriod: {
    what: 'a retention period',
    hint: 'write a duration (a number and a unit: s, m, h, d, w), e.g. 30d or 1d12h, or "infinite"',
  },
  templateName: {
    what: 'a valid template name',
    hint: 'use lowercase letters, digits, ".", "_", "-" and the placeholders {team} and {database}',
  },
  description: {
    what: 'one line of text',
    hint: 'remove line breaks, tabs and other control or invisible characters',
  },
  templateDescription: {
    what: 'one line of text',
    hint: 'remove line breaks, tabs and other control or invisible characters',
  },
  duration: {
    what: 'a duration',
    hint: 'write a number and a unit (s, m, h, d, w), e.g. 90d, 12h or 1d12h',
  },
  expiresIn: {
    what: 'a duration',
    hint: 'write a number and a unit (s, m, h, d, w), e.g. 90d or 1d12h, or "never"',
  },
  expiresAt: {
    what: 'an RFC 3339 date-time',
    hint: 'write a date, a time and a time zone, e.g. 2027-01-01T00:00:00Z',
  },
  ageRecipient: {
    what: 'an age recipient',
    hint: 'an age recipient is "age1" and 58 more lowercase characters, as printed by age-keygen -y',
  },
  uuid: {
    what: 'a UUID',
    hint: 'copy it from influxctl cluster list --format json, e.g. 11111111-1111-4111-8111-111111111111',
  },
  commandArgument: {
    what: 'a command argument',
    hint: 'remove line breaks, tabs and other control characters (each argument is one argv item; no shell)',
  },
  path: { what: 'a file path', hint: 'write a path without control characters, "{" or "}"' },
  teamPath: {
    what: 'a per-team file path',
    hint: 'the path must contain {team}, e.g. secrets/{team}.sealed',
  },
  url: { what: 'an http(s) URL', hint: 'e.g. https://console.influxdata.com/api/v0' },
  clusterName: {
    what: 'a cluster name',
    hint: 'lowercase letters, digits, "_" and "-", starting with a letter, at most 32 characters, e.g. staging or prod-eu',
  },
};
