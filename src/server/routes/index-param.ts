/**
 * A log index as a path segment or query value (`/proof/<index>`, `/v1/statements/<index>`,
 * `?from=`): decimal digits without sign or leading zeros, at most 16 of them, and a safe
 * integer. Anything else is not an index, whatever `Number()` would make of it (`1e3`, `0x10`,
 * ` 7`, `07`).
 */
const DECIMAL = /^(?:0|[1-9][0-9]{0,15})$/;

/** The index `text` writes, or undefined when it is not one. */
export function parseIndexParam(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const index = Number(text);
  return Number.isSafeInteger(index) ? index : undefined;
}
