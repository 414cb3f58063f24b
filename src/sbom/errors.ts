import { NospyError } from '../errors/nospy-error.js';

export type SbomErrorCode =
  'SBOM_UNREADABLE' | 'SBOM_SYNTAX' | 'SBOM_LIMIT' | 'SBOM_FORMAT_UNKNOWN';

/**
 * An SBOM that cannot be read at all: unreadable file, not JSON, a bound exceeded, or neither
 * CycloneDX nor SPDX. A document that reads but breaks its schema is a finding, not an error.
 */
export class SbomError extends NospyError<SbomErrorCode> {
  override readonly name = 'SbomError';
}
