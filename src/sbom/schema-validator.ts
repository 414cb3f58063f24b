/**
 * Validation of SBOMs against the official JSON schemas shipped in src/sbom/schemas (CycloneDX
 * bom-1.2/1.3/1.4/1.5/1.6 with their spdx, jsf and cryptography-defs references, draft-07; SPDX 2.3,
 * draft 2019-09). Compiled validators are cached for the life of the process: compiling
 * bom-1.6 costs a second or two.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import * as ajvFormats from 'ajv-formats';
import type { SbomFormat } from './model.js';
import { firstDuplicate, UNIQUE_ITEMS_KEYWORD, withLinearUniqueItems } from './unique-items.js';

// The schemas live in the package, beside the source: resolved from this module's location, the
// same relative path works from src/sbom (tsx, tests) and from dist/sbom (the published CLI).
const SCHEMA_DIR = new URL('../../src/sbom/schemas/', import.meta.url);

const CYCLONEDX_SCHEMAS: Readonly<Record<string, string>> = {
  '1.2': 'bom-1.2.schema.json',
  '1.3': 'bom-1.3.schema.json',
  '1.4': 'bom-1.4.schema.json',
  '1.5': 'bom-1.5.schema.json',
  '1.6': 'bom-1.6.schema.json',
};
const CYCLONEDX_REFERENCED = [
  'spdx.schema.json',
  'jsf-0.82.schema.json',
  'cryptography-defs.schema.json',
];
const SPDX_SCHEMAS: Readonly<Record<string, string>> = { 'SPDX-2.3': 'spdx-2.3-schema.json' };

// Formats the CycloneDX schemas use that ajv-formats does not define; accepted as written
// rather than failing compilation (iri-reference, idn-email).
const LENIENT_FORMATS = { 'iri-reference': true, 'idn-email': true } as const;

// ajv-formats is CommonJS (`exports.default = formatsPlugin`); under NodeNext its default export
// arrives as the module namespace's `default.default`.
type FormatsPlugin = (ajv: Ajv | Ajv2019) => unknown;
const addFormats = (ajvFormats.default as unknown as { default: FormatsPlugin }).default;

function loadSchema(file: string): Record<string, unknown> {
  const schema: unknown = JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
  return withLinearUniqueItems(schema) as Record<string, unknown>;
}

interface UniqueItemsCheck {
  (schema: boolean, data: unknown): boolean;
  errors?: Partial<ErrorObject>[];
}

/** The linear replacement for `uniqueItems` (see unique-items.ts), reported as `uniqueItems`. */
const checkUniqueItems: UniqueItemsCheck = (schema, data) => {
  if (!schema || !Array.isArray(data)) return true;
  const duplicate = firstDuplicate(data);
  if (duplicate === undefined) return true;
  checkUniqueItems.errors = [
    {
      keyword: 'uniqueItems',
      params: { i: duplicate[0], j: duplicate[1] },
      message: `must NOT have duplicate items (items ${duplicate[0]} and ${duplicate[1]} are identical)`,
    },
  ];
  return false;
};

function addUniqueItems(ajv: Ajv | Ajv2019): void {
  ajv.addKeyword({
    keyword: UNIQUE_ITEMS_KEYWORD,
    type: 'array',
    schemaType: 'boolean',
    errors: true,
    validate: checkUniqueItems,
  });
}

let cyclonedxAjv: Ajv | undefined;
let spdxAjv: Ajv2019 | undefined;
const compiled = new Map<string, ValidateFunction>();

function cyclonedx(): Ajv {
  if (cyclonedxAjv === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false, formats: LENIENT_FORMATS });
    addFormats(ajv);
    addUniqueItems(ajv);
    for (const file of CYCLONEDX_REFERENCED) ajv.addSchema(loadSchema(file));
    cyclonedxAjv = ajv;
  }
  return cyclonedxAjv;
}

function spdx(): Ajv2019 {
  if (spdxAjv === undefined) {
    const ajv = new Ajv2019({ allErrors: true, strict: false, formats: LENIENT_FORMATS });
    addFormats(ajv);
    addUniqueItems(ajv);
    spdxAjv = ajv;
  }
  return spdxAjv;
}

/** The schema file for a format and version, or undefined when none is shipped. */
export function schemaFileFor(format: SbomFormat, specVersion: string): string | undefined {
  return format === 'CycloneDX' ? CYCLONEDX_SCHEMAS[specVersion] : SPDX_SCHEMAS[specVersion];
}

/** One schema error, in ajv's terms, before positions are added. */
export interface RawSchemaError {
  readonly path: string;
  readonly message: string;
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required property '${String(p.missingProperty)}'`;
    case 'additionalProperties':
      return `property '${String(p.additionalProperty)}' is not allowed here`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      return `must be of type ${String(p.type)}`;
    case 'format':
      return `must be a valid ${String(p.format)}`;
    case 'minLength':
      return `must be at least ${String(p.limit)} character(s) long`;
    case 'pattern':
      return `must match the pattern ${String(p.pattern)}`;
    default:
      return error.message ?? error.keyword;
  }
}

/**
 * Validates a parsed document against the schema of its format and version. Returns undefined
 * when no schema is shipped for that version, else the errors (empty when valid).
 */
export function validateAgainstSchema(
  format: SbomFormat,
  specVersion: string,
  document: unknown,
): RawSchemaError[] | undefined {
  const file = schemaFileFor(format, specVersion);
  if (file === undefined) return undefined;
  let validate = compiled.get(file);
  if (validate === undefined) {
    validate = (format === 'CycloneDX' ? cyclonedx() : spdx()).compile(loadSchema(file));
    compiled.set(file, validate);
  }
  if (validate(document)) return [];
  const seen = new Set<string>();
  const errors: RawSchemaError[] = [];
  for (const error of validate.errors ?? []) {
    const path = error.instancePath === '' ? '/' : error.instancePath;
    const message = describe(error);
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ path, message });
  }
  return errors;
}
