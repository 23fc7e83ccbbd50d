// What other folders may use of src/manifest/: they import it from here only.
export { formatIssue } from './format-issue.js';
export { loadManifest, validateManifestText } from './load-manifest.js';
export { normalisePermissions } from './normalise-permissions.js';
export { isZeroDuration, parseDuration } from './parse-duration.js';
export type {
  Duration,
  DesiredDatabase,
  DesiredToken,
  ExpandedManifest,
  SourcePosition,
  ValidationIssue,
} from './types.js';
