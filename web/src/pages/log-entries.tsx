import { logEntryPath } from '../api.js';
import { useFetch } from '../use-fetch.js';
import { useTitle } from '../route.js';
import { predicateName } from '../verify/read-statement.js';
import { Show } from './common.js';

/** Entries a page lists. */
export const ENTRIES_PAGE = 25;

interface StatementList {
  readonly size: number;
  readonly statements: readonly {
    readonly index: number;
    readonly type: string;
    readonly predicateType: string;
    readonly vendor: string | null;
    readonly subjects: readonly string[];
    readonly envelope: { readonly signatures?: readonly { readonly keyid?: string }[] };
  }[];
  readonly next: number | null;
}

/**
 * The log's statements a page at a time, as the server's statement index lists them: a list to
 * find an entry by, not a proof; each entry's own page verifies it.
 */
export function LogEntriesPage(props: { readonly from: string | null }) {
  const from = props.from !== null && /^\d{1,15}$/.test(props.from) ? Number(props.from) : 0;
  useTitle(from === 0 ? 'Log entries' : `Log entries from ${String(from)}`);
  const list = useFetch<StatementList>(
    `v1/statements?from=${String(from)}&limit=${String(ENTRIES_PAGE)}`,
  );
  return (
    <>
      <h1>Log entries</h1>
      <p className="muted-text">
        As the server lists them, not yet verified: open an entry to verify it against your keys.
      </p>
      <Show loaded={list}>
        {(l) => (
          <>
            <div className="table-wrap">
              <table id="log-entries">
                <caption>
                  Entries from {from} of {l.size}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Entry</th>
                    <th scope="col">Statement</th>
                    <th scope="col">Vendor</th>
                    <th scope="col">Signed by (key ids)</th>
                  </tr>
                </thead>
                <tbody>
                  {l.statements.map((s) => (
                    <tr key={s.index} data-entry={s.index}>
                      <th scope="row">
                        <a className="log-link" href={logEntryPath(s.index)}>
                          {s.index}
                        </a>
                      </th>
                      <td>{predicateName(s.predicateType)}</td>
                      <td>{s.vendor ?? ''}</td>
                      <td className="mono small wrap">
                        {(s.envelope.signatures ?? []).map((x) => x.keyid ?? '').join(', ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav aria-label="Pages" className="pager">
              {from > 0 ? (
                <a href={`#/log/entries?from=${String(Math.max(0, from - ENTRIES_PAGE))}`}>
                  Previous page
                </a>
              ) : null}
              {l.next === null ? null : (
                <a id="entries-next" href={`#/log/entries?from=${String(l.next)}`}>
                  Next page
                </a>
              )}
            </nav>
          </>
        )}
      </Show>
    </>
  );
}
