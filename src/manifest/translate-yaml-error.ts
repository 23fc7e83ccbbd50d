import type { YAMLError } from 'yaml';
import type { ValidationIssue } from './types.js';

/** Builds an issue at a character offset of the text. */
export type MakeIssue = (
  offset: number,
  code: string,
  message: string,
  hint?: string,
) => ValidationIssue;

/** One YAML syntax error in plain words, with a hint where one helps. */
export function translateYamlError(
  error: YAMLError,
  text: string,
  issue: MakeIssue,
): ValidationIssue {
  const [start] = error.pos;
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- yaml has ~25 codes (more in each release); all but these share the generic line
  switch (error.code) {
    case 'DUPLICATE_KEY':
      return issue(
        start,
        'duplicate-key',
        `duplicate key ${JSON.stringify(keyText(text, start))}`,
        'a key may appear only once in a mapping; merge the two entries',
      );
    case 'MULTIPLE_DOCS':
      return issue(
        start,
        'multiple-documents',
        'the file holds more than one YAML document',
        'remove the "---" line: a manifest is one document',
      );
    case 'TAB_AS_INDENT':
      return issue(start, 'yaml', 'a tab is used for indentation', 'indent YAML with spaces');
    case 'RESOURCE_EXHAUSTION':
      return issue(
        start,
        'too-deep',
        'the YAML is nested too deeply to read',
        'a manifest needs about five levels; check the brackets',
      );
    default:
      return issue(start, 'yaml', `invalid YAML: ${plainMessage(error.message)}`);
  }
}

// A stack overflow in the composer is reported once per level: one line says it. After a
// tab, the parser's later complaints are mostly echoes of it: their hint says so, instead of
// leaving the reader to chase "implicit keys" that are fine once the tab is gone.
export function dedupeYamlIssues(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  let tabLine: number | undefined;
  return issues
    .filter((item) => {
      const key =
        item.code === 'too-deep' ? item.code : `${item.line}:${item.column}:${item.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((item) => {
      if (item.message === 'a tab is used for indentation') {
        tabLine ??= item.line;
        return item;
      }
      if (tabLine === undefined || item.code !== 'yaml' || item.line < tabLine) return item;
      return {
        ...item,
        hint: `probably caused by the tab at line ${tabLine}; indent with spaces and check again`,
      };
    });
}

function keyText(text: string, start: number): string {
  const raw = text.slice(start, start + 80).split(/[:\n]/, 1)[0] ?? '';
  return raw.trim().replace(/^["']|["']$/g, '');
}

/** The `!tag` written at an offset. */
export function tagAt(text: string, offset: number): string {
  const match = /^!\S*/.exec(text.slice(offset, offset + 80));
  return match?.[0] ?? '';
}

/** A yaml message as a clause: first line, no final period, lower-case start. */
export function plainMessage(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? message;
  const trimmed = firstLine.replace(/\.$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}
