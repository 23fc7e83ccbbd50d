import { describeMassRevoke } from '../../plan/index.js';
import type { PlanWarning } from '../../plan/index.js';

/** A plan warning in words, naming the flags that change it. One line, no colour. */
export function describeWarning(warning: PlanWarning): string {
  switch (warning.code) {
    case 'only-selection':
      return `--only: checking ${warning.checked} of ${warning.declared} declared tokens${warning.clusterNames ? ' (and the named cluster tokens)' : ''}; the rest is not checked`;
    case 'replace-not-selected':
      return `--replace ${warning.name}: not in the --only selection; not replaced`;
    case 'not-declared': {
      const count =
        warning.names.length === 1
          ? '1 managed token is'
          : `${warning.names.length} managed tokens are`;
      return `${count} no longer in the manifest; run with --prune to revoke them: ${warning.names.join(', ')}`;
    }
    case 'database-missing': {
      const [first = '', ...rest] = warning.tokens;
      const namedBy = `token "${first}"${rest.length > 0 ? ` and ${rest.length} more` : ''}`;
      const { file, line, column } = warning.source;
      return `database "${warning.database}" does not exist yet (named by ${namedBy} at ${file}:${line}:${column})`;
    }
    case 'expiring-window-too-long': {
      const [first = ''] = warning.tokens;
      const who =
        warning.tokens.length === 1 ? `1 token (${first})` : `${warning.tokens.length} tokens`;
      return (
        `--expiring-within ${warning.window} is at least as long as the lifetime of ${who} ` +
        `(${warning.lifetimes.slice(0, 3).join(', ')}): a renewed token would expire within the window again, ` +
        'so they are not renewed; use a window shorter than their lifetime, or --replace NAME to rotate now'
      );
    }
    case 'mass-revoke':
      return `${describeMassRevoke(warning)}: apply will refuse it without --allow-mass-revoke`;
  }
}
