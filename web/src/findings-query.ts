/**
 * The overview's filters, kept in the URL (`#/?severity=high&kind=…`) so a view is shared or
 * reloaded as it is, and turned into a `GET /v1/findings` request the server pages.
 */
export const FILTER_KEYS = [
  'severity',
  'kind',
  'vendor',
  'device',
  'since',
  'triage',
  'sort',
  'order',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** Findings per page of the overview. */
export const PAGE_SIZE = 50;

/** The API path of one page of findings under the URL's filters (all when `page` is undefined). */
export function findingsPath(query: URLSearchParams, page: number | undefined): string {
  const api = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = query.get(key);
    if (value !== null && value !== '') api.set(key, value);
  }
  if (page !== undefined) {
    api.set('limit', String(PAGE_SIZE));
    api.set('offset', String(page * PAGE_SIZE));
  }
  const text = api.toString();
  return `v1/findings${text === '' ? '' : `?${text}`}`;
}

/** The query with one filter set (or removed when empty), back on the first page. */
export function withFilter(query: URLSearchParams, key: FilterKey, value: string): URLSearchParams {
  const next = new URLSearchParams(query);
  if (value === '') next.delete(key);
  else next.set(key, value);
  next.delete('page');
  return next;
}

/** The 0-based page the URL asks for. */
export function pageOf(query: URLSearchParams): number {
  const n = Number(query.get('page') ?? '0');
  return Number.isInteger(n) && n >= 0 ? n : 0;
}
