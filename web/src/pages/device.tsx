import type { Device } from '../api.js';
import { useFetch } from '../use-fetch.js';
import { FindingTable, Show } from './common.js';

export function DevicePage(props: { readonly id: string }) {
  const device = useFetch<Device>(`v1/devices/${encodeURIComponent(props.id)}`);
  return (
    <Show loaded={device}>
      {(d) => (
        <>
          <h1>Device {d.id}</h1>
          <dl>
            <dt>Vendor</dt>
            <dd>
              <a href={`#/vendors/${encodeURIComponent(d.vendor)}`}>{d.vendor}</a>
            </dd>
            {d.model === undefined ? null : (
              <>
                <dt>Model</dt>
                <dd>{d.model}</dd>
              </>
            )}
            <dt>Release</dt>
            <dd>
              {d.releaseInfo === undefined
                ? (d.release ?? 'unknown')
                : `${d.releaseInfo.version} (log entry ${String(d.releaseInfo.index)})`}
            </dd>
            <dt>Firmware</dt>
            <dd className={d.firmware === 'logged' ? 'ok' : 'bad'}>{d.firmware}</dd>
            <dt>MUD</dt>
            <dd>
              {d.mud === undefined ? 'none' : d.mud.allowed.join(', ') || 'no destinations allowed'}
            </dd>
          </dl>
          <h2>Traffic</h2>
          {d.traffic.length === 0 ? (
            <p className="muted">No flows seen.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Destination</th>
                  <th>Verdict</th>
                  <th>Flows</th>
                </tr>
              </thead>
              <tbody>
                {d.traffic.map((t) => (
                  <tr key={t.destination}>
                    <td>{t.destination}</td>
                    <td className={t.verdict === 'allowed' ? 'ok' : 'bad'}>{t.verdict}</td>
                    <td>{t.flows}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Access grants</h2>
          {d.accessGrants.length === 0 ? (
            <p className="muted">No grants logged.</p>
          ) : (
            <ul>
              {d.accessGrants.map((g) => (
                <li key={`${g.grantee}-${g.scope}`}>
                  {g.grantee}: {g.scope}
                  {g.until === undefined ? '' : ` until ${g.until}`}
                </li>
              ))}
            </ul>
          )}
          <h2>Timeline</h2>
          <ol className="timeline">
            {d.timeline.map((e) => (
              <li key={`${e.at}-${e.event}`}>
                <time>{e.at}</time> {e.event}
              </li>
            ))}
          </ol>
          <h2>Findings</h2>
          <FindingTable findings={d.findingList} />
        </>
      )}
    </Show>
  );
}
