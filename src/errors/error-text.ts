/**
 * The message of whatever was thrown, for a sentence that says why something failed: an Error's
 * message (a NospyError's included), anything else as a string. Imports nothing, so every layer
 * may use it.
 */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
