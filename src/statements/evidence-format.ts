/**
 * The `format` of nospy's evidence bundle, alone in its module so that the CLI can offer it as a
 * choice without loading the bundle's parser and verifier.
 */
export const EVIDENCE_FORMAT = 'nospy-evidence/v1';
