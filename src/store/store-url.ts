/**
 * Where a log is stored, as `store.url` (the config file, `NOSPY_STORE_URL`, `DATABASE_URL` or
 * `--store`) names it: the embedded SQLite database in a directory (`sqlite:<dir>`, or the bare
 * directory), or a PostgreSQL database (`postgres://…`, `postgresql://…`). Any other scheme is an
 * error rather than a silent fall-back to SQLite: an operator who asked for a server database
 * must never find the log written to a local file instead.
 */

export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** The forms `store.url` accepts, as every error about it lists them. */
export const ACCEPTED_STORE_URLS =
  'sqlite:<directory>, a bare directory, postgres://… or postgresql://…';

/** A URL scheme: letters, then letters, digits, `+`, `-` or `.`, then `:` (RFC 3986 §3.1). */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/**
 * The problem with `url` as a store location, or undefined when it is one of the accepted forms.
 * A one-letter scheme is a Windows drive (`C:\nospy`), so it counts as a bare directory.
 */
export function storeUrlProblem(url: string): string | undefined {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme.length === 1) return undefined;
  if (scheme === 'sqlite') {
    return sqliteDir(url) === '' ? `"${url}" names no directory (sqlite:<directory>)` : undefined;
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return url.startsWith(`${scheme}://`) || url.startsWith(`${scheme.toUpperCase()}://`)
      ? undefined
      : `"${redactStoreUrl(url)}" is not a PostgreSQL URL (postgres://user@host:port/database)`;
  }
  return `the store scheme "${scheme}:" is not supported; accepted: ${ACCEPTED_STORE_URLS}`;
}

/**
 * Where the log lives: `url` when given (already validated by the config schema, see
 * storeUrlProblem), otherwise the data directory's embedded database.
 */
export function resolveStoreLocation(url: string | undefined, dataDir: string): StoreLocation {
  if (url === undefined) return { kind: 'sqlite', dataDir };
  const problem = storeUrlProblem(url);
  if (problem !== undefined) throw new TypeError(problem);
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url };
  if (scheme === 'sqlite') return { kind: 'sqlite', dataDir: sqliteDir(url) };
  return { kind: 'sqlite', dataDir: url };
}

/** `sqlite:dir`, `sqlite:/abs/dir` and `sqlite:///abs/dir` all name a directory. */
function sqliteDir(url: string): string {
  const rest = url.slice('sqlite:'.length);
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

/** A PostgreSQL store's URL (`postgres://…`, `postgresql://…`), as store.url takes it. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL with its password replaced, for logs and error messages. */
export function redactStoreUrl(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}
