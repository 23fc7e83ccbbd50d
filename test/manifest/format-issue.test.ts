import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/format-issue.js';
import type { ValidationIssue } from '../../src/manifest/types.js';

const base: ValidationIssue = {
  file: 'tokens.yaml',
  line: 14,
  column: 9,
  severity: 'error',
  code: 'undefined-set',
  message: 'permission set "metrics-readr" is not defined',
};

describe('formatIssue', () => {
  it('prints file:line:col, the message and the hint on one line', () => {
    expect(formatIssue({ ...base, hint: 'did you mean "metrics-reader"?' })).toBe(
      'tokens.yaml:14:9: permission set "metrics-readr" is not defined; did you mean "metrics-reader"?',
    );
  });

  it('omits a missing hint', () => {
    expect(formatIssue(base)).toBe(
      'tokens.yaml:14:9: permission set "metrics-readr" is not defined',
    );
  });

  it('marks warnings', () => {
    expect(formatIssue({ ...base, severity: 'warning', message: 'x' })).toBe(
      'tokens.yaml:14:9: warning: x',
    );
  });

  it('has no position for file-level problems (line 0)', () => {
    expect(formatIssue({ ...base, line: 0, column: 0, message: 'no such file' })).toBe(
      'tokens.yaml: no such file',
    );
  });
});
