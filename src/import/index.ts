// What other folders may use of src/import/: they import it from here only.
export { checkImport } from './check-import.js';
export { findImportMatches } from './find-import-matches.js';
export type { AmbiguousImport, ImportProposal } from './find-import-matches.js';
export { previewImports } from './preview-imports.js';
export type { ImportPreview, ImportSpec } from './preview-imports.js';
