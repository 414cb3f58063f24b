import { useEffect, useState } from 'react';
import { logEntryPath } from '../api.js';
import { useTitle } from '../route.js';
import { entryTilePath, splitEntryBundle } from '../verify/inclusion.js';
import {
  describeOtherEntry,
  predicateName,
  readStatement,
  type ReadStatement,
} from '../verify/read-statement.js';
import type { Trust } from '../verify/trust.js';
import { Show } from './common.js';
import { serverReader, useVerifierTrust } from './log.js';

/** Entries a page lists: a divisor of a data tile's 256, so a page is read from one tile. */
export const ENTRIES_PAGE = 32;

interface Row {
  readonly index: number;
  readonly statement?: ReadStatement;
  readonly other?: string;
}

type Rows =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly message: string }
  | { readonly state: 'ok'; readonly rows: readonly Row[] };

/** The page's entries from the data tile that holds them (c2sp.org/tlog-tiles). */
function useEntryRows(from: number, size: number | undefined, trust: Trust | undefined): Rows {
  const [rows, setRows] = useState<Rows>({ state: 'loading' });
  useEffect(() => {
    if (size === undefined) return;
    if (from >= size) {
      setRows({ state: 'ok', rows: [] });
      return;
    }
    let live = true;
    setRows({ state: 'loading' });
    serverReader.tile(entryTilePath(from, size)).then(
      (bundle) => {
        const entries = splitEntryBundle(bundle);
        const first = from - (from % 256);
        const out: Row[] = [];
        for (let index = from; index < Math.min(size, from + ENTRIES_PAGE); index++) {
          const entry = entries[index - first];
          if (entry === undefined) break;
          const statement = readStatement(entry, trust);
          out.push(
            statement === undefined
              ? { index, other: describeOtherEntry(entry) }
              : { index, statement },
          );
        }
        if (live) setRows({ state: 'ok', rows: out });
      },
      (error: unknown) => {
        if (live) setRows({ state: 'error', message: String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [from, size, trust]);
  return rows;
}

function Signed(props: { readonly statement: ReadStatement }) {
  return (
    <>
      {props.statement.signatures
        .map((s) => (s.party === undefined ? s.keyid : `${s.party} (${s.keyid})`))
        .join(', ')}
    </>
  );
}

/**
 * The log's entries a page at a time, read from its data tiles: a list to find an entry by, not
 * a proof (the size is the server's word, the bytes unproved); each entry's own page verifies it.
 */
export function LogEntriesPage(props: { readonly from: string | null }) {
  const asked = props.from !== null && /^\d{1,15}$/.test(props.from) ? Number(props.from) : 0;
  const from = asked - (asked % ENTRIES_PAGE);
  useTitle(from === 0 ? 'Log entries' : `Log entries from ${String(from)}`);
  const { summary, effective } = useVerifierTrust();
  const size = summary.state === 'ok' ? summary.data.log.size : undefined;
  const trust = effective.state === 'ready' ? effective.trust : undefined;
  const rows = useEntryRows(from, size, trust);
  return (
    <>
      <h1>Log entries</h1>
      <p className="muted-text">
        As the server’s data tiles hold them, not yet verified: open an entry to verify it against
        your keys. Signers are named as your keys name them; a key id alone proves nothing.
      </p>
      <Show loaded={summary}>
        {(s) => (
          <Show loaded={rows.state === 'ok' ? { state: 'ok', data: rows.rows } : rows}>
            {(list) => (
              <>
                <div className="table-wrap">
                  <table id="log-entries">
                    <caption>
                      Entries {from} to {Math.min(s.log.size, from + ENTRIES_PAGE) - 1} of{' '}
                      {s.log.size}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Entry</th>
                        <th scope="col">What</th>
                        <th scope="col">Subject</th>
                        <th scope="col">Signed by</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((r) => (
                        <tr key={r.index} data-entry={r.index}>
                          <th scope="row">
                            <a className="log-link" href={logEntryPath(r.index)}>
                              {r.index}
                            </a>
                          </th>
                          <td>
                            {r.statement === undefined
                              ? r.other
                              : predicateName(r.statement.predicateType ?? 'unreadable')}
                          </td>
                          <td className="wrap">{r.statement?.subjects[0]?.name ?? ''}</td>
                          <td className="small wrap">
                            {r.statement === undefined ? '' : <Signed statement={r.statement} />}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <nav aria-label="Pages" className="pager">
                  {from > 0 ? (
                    <a href={`#/log/entries?from=${String(from - ENTRIES_PAGE)}`}>Previous page</a>
                  ) : null}
                  {from + ENTRIES_PAGE < s.log.size ? (
                    <a id="entries-next" href={`#/log/entries?from=${String(from + ENTRIES_PAGE)}`}>
                      Next page
                    </a>
                  ) : null}
                </nav>
              </>
            )}
          </Show>
        )}
      </Show>
    </>
  );
}
