import { findingPath, type CanaryEvent, type ClauseStatus, type Vendor } from '../api.js';
import { useFetch } from '../use-fetch.js';
import { useTitle } from '../route.js';
import { BlobLink, EntryLink, Show } from './common.js';
import { Attestations, ReproducibilityCell } from './reproducibility.js';

const STATUS_CLASS: Record<ClauseStatus, string> = {
  kept: 'ok',
  broken: 'bad',
  'not-checked': 'muted',
  pending: 'muted',
};

/** How a status reads: "not checked" and "pending" in words, not as ids. */
const STATUS_TEXT: Record<ClauseStatus, string> = {
  kept: 'kept',
  broken: 'broken',
  'not-checked': 'not checked',
  pending: 'pending',
};

const DAY_MS = 86_400_000;

/**
 * The canary history on one time axis: each logged canary as a tick, each lapse as a red span
 * from when the canary was due until the next one (or the evaluation).
 */
function CanaryTimeline(props: { readonly events: readonly CanaryEvent[] }) {
  const times = props.events.flatMap((e) => [
    Date.parse(e.at),
    ...(e.until === undefined ? [] : [Date.parse(e.until)]),
  ]);
  const start = Math.min(...times);
  const end = Math.max(...times, start + DAY_MS);
  const at = (t: number) => `${String(((t - start) / (end - start)) * 100)}%`;
  return (
    <div className="canary-axis" aria-label="canary history">
      {props.events.map((e) =>
        e.status === 'lapsed' ? (
          <div
            key={`lapse-${e.at}`}
            className="lapse"
            style={{
              left: at(Date.parse(e.at)),
              width: `calc(${at(Date.parse(e.until ?? e.at))} - ${at(Date.parse(e.at))})`,
            }}
            title={`lapsed ${e.at.slice(0, 10)} – ${(e.until ?? '').slice(0, 10)}`}
          />
        ) : (
          <div
            key={`canary-${e.at}`}
            className="tick"
            style={{ left: at(Date.parse(e.at)) }}
            title={`canary ${e.at.slice(0, 10)}`}
          />
        ),
      )}
      <span className="axis-start">{new Date(start).toISOString().slice(0, 10)}</span>
      <span className="axis-end">{new Date(end).toISOString().slice(0, 10)}</span>
    </div>
  );
}

export function VendorPage(props: { readonly id: string }) {
  useTitle(`Vendor ${props.id}`);
  const vendor = useFetch<Vendor>(`v1/vendors/${encodeURIComponent(props.id)}`);
  return (
    <Show loaded={vendor}>
      {(v) => (
        <>
          <h1>{v.name}</h1>
          <h2>Agreement</h2>
          {v.agreementDetail === undefined ? (
            <p className="bad">No agreement logged.</p>
          ) : (
            <>
              <p>
                {v.agreementDetail.title ?? v.agreementDetail.agreementId ?? 'Agreement'} (log{' '}
                <EntryLink index={v.agreementDetail.index} />
                {v.agreementDetail.validity === undefined
                  ? ''
                  : `, valid ${v.agreementDetail.validity.from} – ${v.agreementDetail.validity.until}`}
                )
              </p>
              <table className="clauses">
                <thead>
                  <tr>
                    <th scope="col">Clause</th>
                    <th scope="col">Status</th>
                    <th scope="col">Findings or why</th>
                  </tr>
                </thead>
                <tbody>
                  {v.agreementDetail.clauses.map((c) => (
                    <tr key={c.id} data-clause={c.id}>
                      <td>{c.id}</td>
                      <td className={STATUS_CLASS[c.status]} data-status={c.status}>
                        {STATUS_TEXT[c.status]}
                      </td>
                      <td>
                        {c.findings.length > 0 ? (
                          <span className="mono">
                            {c.findings.map((id) => (
                              <a key={id} className="finding-link item-link" href={findingPath(id)}>
                                {id}
                              </a>
                            ))}
                          </span>
                        ) : (
                          (c.note ?? '')
                        )}
                        {c.due === undefined ? null : (
                          <div className="canary-due" data-due={c.due}>
                            next canary due {c.due}
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h2>Releases</h2>
          {v.releaseList.length === 0 ? (
            <p className="muted">No releases logged.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Image</th>
                  <th scope="col">SBOM</th>
                  <th scope="col">MUD</th>
                  <th scope="col">Log entry</th>
                  <th scope="col">Released</th>
                  <th scope="col">Logged</th>
                  <th scope="col">Reproducibility</th>
                </tr>
              </thead>
              <tbody>
                {v.releaseList.map((r) => (
                  <tr key={r.digest} data-release={r.digest}>
                    <td>{r.version}</td>
                    <td className="mono" title={r.digest}>
                      {r.digest.slice(0, 19)}…
                    </td>
                    <td>
                      {r.sbom === undefined ? '' : <BlobLink digest={r.sbom.digest} what="SBOM" />}
                    </td>
                    <td>
                      {r.mud === undefined ? (
                        ''
                      ) : (
                        <BlobLink digest={r.mud.digest} what="MUD file" />
                      )}
                    </td>
                    <td>
                      <EntryLink index={r.index} />
                    </td>
                    <td>{r.releasedAt.slice(0, 10)}</td>
                    <td>{r.loggedAt?.slice(0, 10) ?? 'not kept'}</td>
                    <ReproducibilityCell release={r} />
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Rebuilds from source</h2>
          <Attestations releases={v.releaseList} />
          <h2>Canary history</h2>
          {v.canary.length === 0 ? (
            <p className="muted">No canaries logged.</p>
          ) : (
            <>
              <CanaryTimeline events={v.canary} />
              <ul className="canary">
                {v.canary.map((c) => (
                  <li
                    key={`${c.status}-${c.at}`}
                    className={`dot ${c.status}`}
                    data-canary={c.status}
                  >
                    {c.status === 'fresh' ? (
                      <>
                        {c.at.slice(0, 10)}: canary
                        {c.statement === undefined ? null : (
                          <>
                            {' '}
                            (log <EntryLink index={c.statement} />)
                          </>
                        )}
                      </>
                    ) : (
                      <>
                        {c.at.slice(0, 10)} – {(c.until ?? '').slice(0, 10)}: lapsed
                        {c.finding === undefined ? null : (
                          <>
                            {' '}
                            (<a href={findingPath(c.finding)}>{c.finding}</a>)
                          </>
                        )}
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>Compliance</h2>
          {v.compliance.length === 0 ? (
            <p className="muted">No rule packs configured.</p>
          ) : (
            <ul>
              {v.compliance.map((c) => (
                <li key={c.pack}>
                  {c.pack}: <span className={c.status === 'pass' ? 'ok' : 'bad'}>{c.status}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Show>
  );
}
