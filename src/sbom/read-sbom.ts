/**
 * Reads an SBOM file: bounded read, JSON parse with a position on syntax errors, format
 * detection, schema validation with line and column for each violation, and the model.
 */
import { readBoundedText } from '../io/bounded-read.js';
import { readCycloneDx } from './cyclonedx.js';
import { SbomError } from './errors.js';
import { DEFAULT_READ_LIMITS, isObject, type JsonObject, type ReadLimits } from './fields.js';
import { jsonNestingDepth, locateJsonPointers, type TextPosition } from './json-positions.js';
import type { Deviation, SbomDocument, SchemaResult, SchemaViolation } from './model.js';
import { schemaFileFor, validateAgainstSchema } from './schema-validator.js';
import { readSpdx } from './spdx.js';

export interface SbomReadLimits extends ReadLimits {
  readonly maxFileBytes: number;
  /** Deepest JSON nesting accepted before parsing (JSON.parse recurses). */
  readonly maxJsonDepth: number;
  /** Most schema violations reported (the rest are counted). */
  readonly maxViolations: number;
}

export const DEFAULT_SBOM_LIMITS: SbomReadLimits = {
  ...DEFAULT_READ_LIMITS,
  maxFileBytes: 128 * 1024 * 1024,
  maxJsonDepth: 512,
  maxViolations: 100,
};

/** The document, its schema verdict, and the file it came from. */
export interface SbomReadResult {
  readonly file: string;
  readonly document: SbomDocument;
  readonly schema: SchemaResult;
}

function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 0x0a) {
      line += 1;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

function parseJson(text: string, file: string, limits: SbomReadLimits): unknown {
  const depth = jsonNestingDepth(text);
  if (depth > limits.maxJsonDepth) {
    throw new SbomError(
      'SBOM_LIMIT',
      `${file}: JSON nested ${depth} levels deep, more than the limit of ${limits.maxJsonDepth}`,
      { where: file },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position ([0-9]+)/.exec(message);
    const where =
      at?.[1] === undefined
        ? file
        : `${file}:${Object.values(positionOf(text, Number(at[1]))).join(':')}`;
    throw new SbomError('SBOM_SYNTAX', `${where}: not valid JSON: ${message}`, { where });
  }
}

/** Reads and checks an SBOM already in memory (`name` is used in messages). */
export function readSbomText(
  name: string,
  text: string,
  limits: SbomReadLimits = DEFAULT_SBOM_LIMITS,
): SbomReadResult {
  const value = parseJson(text.replace(/^\uFEFF/, ''), name, limits);
  if (!isObject(value)) {
    throw new SbomError('SBOM_FORMAT_UNKNOWN', `${name}: the top level is not a JSON object`, {
      where: name,
    });
  }
  const doc: JsonObject = value;
  let document: SbomDocument;
  if (typeof doc.spdxVersion === 'string') {
    document = readSpdx(doc, doc.spdxVersion, limits);
  } else if (
    'bomFormat' in doc ||
    (typeof doc.$schema === 'string' && doc.$schema.includes('cyclonedx.org'))
  ) {
    const specVersion = typeof doc.specVersion === 'string' ? doc.specVersion : '';
    document = readCycloneDx(doc, specVersion, limits);
  } else {
    throw new SbomError(
      'SBOM_FORMAT_UNKNOWN',
      `${name}: neither CycloneDX (bomFormat) nor SPDX (spdxVersion)`,
      { where: name },
    );
  }
  const raw = validateAgainstSchema(document.format, document.specVersion, doc);
  const shown = (raw ?? []).slice(0, limits.maxViolations);
  const pointers = new Set<string>([
    ...shown.map((v) => (v.path === '/' ? '' : v.path)),
    ...document.deviations.map((d) => d.path),
  ]);
  const positions = locateJsonPointers(text.replace(/^\uFEFF/, ''), pointers);
  const place = <T extends { path: string }>(item: T): T => {
    const p = positions.get(item.path === '/' ? '' : item.path);
    return p === undefined ? item : { ...item, line: p.line, column: p.column };
  };
  const violations: SchemaViolation[] = shown.map(place);
  if (raw !== undefined && raw.length > shown.length) {
    violations.push({
      path: '/',
      message: `${raw.length - shown.length} more schema violations not shown`,
    });
  }
  const deviations: Deviation[] = document.deviations.map(place);
  const schemaFile = schemaFileFor(document.format, document.specVersion);
  return {
    file: name,
    document: { ...document, deviations },
    schema: {
      validated: raw !== undefined,
      schema: schemaFile ?? null,
      valid: raw === undefined ? true : raw.length === 0,
      violations,
    },
  };
}

/** Reads and checks an SBOM file. Throws SbomError when it cannot be read at all. */
export function readSbomFile(
  file: string,
  limits: SbomReadLimits = DEFAULT_SBOM_LIMITS,
): SbomReadResult {
  const text = readBoundedText(file, {
    maxBytes: limits.maxFileBytes,
    what: 'SBOM',
    failure: (error) =>
      new SbomError(
        error.code === 'INPUT_TOO_LARGE' ? 'SBOM_LIMIT' : 'SBOM_UNREADABLE',
        error.message,
        { where: file, cause: error },
      ),
  });
  return readSbomText(file, text, limits);
}
