/**
 * The forms the rules compare in: digests as `sha256:<hex>`, dates as instants. Vendor names
 * compare by src/inventory/vendor-identity.ts, the one vendor identity of nospy. Pure.
 */

/** `sha256:<hex>` for a hex digest (already-prefixed digests pass through). */
export function digestRef(hex: string): string {
  return hex.startsWith('sha256:') ? hex : `sha256:${hex.toLowerCase()}`;
}

/** One day in milliseconds: the agreements' clauses count their windows in whole days. */
export const DAY_MS = 86_400_000;

/** Milliseconds since the epoch of an ISO date or date-time (a bare date is its start, UTC). */
export function instant(text: string): number {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(t) ? 0 : t;
}

/** ISO 8601 UTC text of an instant (ms since the epoch). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
