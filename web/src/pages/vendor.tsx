import type { Vendor } from '../api.js';
import { useFetch } from '../use-fetch.js';
import { Show } from './common.js';

export function VendorPage(props: { readonly id: string }) {
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
            <table>
              <thead>
                <tr>
                  <th>Clause (entry {v.agreementDetail.index})</th>
                  <th>Status</th>
                  <th>Findings</th>
                </tr>
              </thead>
              <tbody>
                {v.agreementDetail.clauses.map((c) => (
                  <tr key={c.id}>
                    <td>{c.id}</td>
                    <td className={c.status === 'kept' ? 'ok' : 'bad'}>{c.status}</td>
                    <td>{c.findings.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Releases</h2>
          <table>
            <thead>
              <tr>
                <th>Version</th>
                <th>Digest</th>
                <th>Log entry</th>
                <th>Logged</th>
              </tr>
            </thead>
            <tbody>
              {v.releaseList.map((r) => (
                <tr key={r.digest}>
                  <td>{r.version}</td>
                  <td className="mono">{r.digest.slice(0, 19)}…</td>
                  <td>{r.index}</td>
                  <td>{r.loggedAt.slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Canary history</h2>
          <div className="canary">
            {v.canary.length === 0 ? (
              <span className="muted">No canaries logged.</span>
            ) : (
              v.canary.map((c) => (
                <span key={c.at} className={`dot ${c.status}`} title={`${c.at}: ${c.status}`}>
                  {c.at.slice(0, 10)}
                </span>
              ))
            )}
          </div>
          <h2>Compliance</h2>
          <ul>
            {v.compliance.map((c) => (
              <li key={c.pack}>
                {c.pack}: <span className={c.status === 'pass' ? 'ok' : 'bad'}>{c.status}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </Show>
  );
}
