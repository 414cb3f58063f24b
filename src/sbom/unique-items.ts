/**
 * A linear-time `uniqueItems`. Ajv checks `uniqueItems` over arrays of objects by comparing
 * every pair (quadratic): 5,000 components cost seven seconds under bom-1.6. The CycloneDX
 * schemas use it on components, services, hashes and more, so the schemas are loaded with
 * `uniqueItems: true` renamed to this keyword, which hashes each item's canonical JSON once.
 * JSON Schema 2020-12 Validation §6.4.3 / draft-07 §6.4.3: items equal as JSON values, so key
 * order in objects does not matter and 1 equals 1.0.
 */

export const UNIQUE_ITEMS_KEYWORD = 'x-nospy-unique-items';

/** Canonical JSON: object keys sorted, so that equal JSON values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(',')}}`;
  }
  // Values from JSON.parse are never undefined or functions; array holes cannot occur either.
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** The first pair of equal items (indexes), or undefined when all are distinct. */
export function firstDuplicate(items: readonly unknown[]): [number, number] | undefined {
  const seen = new Map<string, number>();
  for (let j = 0; j < items.length; j += 1) {
    const key = canonicalJson(items[j]);
    const i = seen.get(key);
    if (i !== undefined) return [i, j];
    seen.set(key, j);
  }
  return undefined;
}

/** A copy of a schema with every `uniqueItems: true` replaced by the linear keyword. */
export function withLinearUniqueItems(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withLinearUniqueItems);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === 'uniqueItems' && value === true) out[UNIQUE_ITEMS_KEYWORD] = true;
    else out[key] = withLinearUniqueItems(value);
  }
  return out;
}
