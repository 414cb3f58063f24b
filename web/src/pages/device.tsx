import { firmwareClass, firmwareText, type Device, type TrafficVerdict } from '../api.js';
import { useFetch } from '../use-fetch.js';
import { useTitle } from '../route.js';
import { BlobLink, EntryLink, FindingTable, Show } from './common.js';

/** Allowed against violating flow records, as one bar. */
function TrafficBar(props: { readonly allowed: number; readonly violations: number }) {
  const total = props.allowed + props.violations;
  if (total === 0) return <p className="muted">No flows of this device were seen.</p>;
  const pct = (n: number) => `${String((n / total) * 100)}%`;
  return (
    <div
      className="traffic-bar"
      title={`${String(props.allowed)} allowed, ${String(props.violations)} in violation`}
    >
      <div className="allowed" style={{ width: pct(props.allowed) }}>
        {props.allowed > 0 ? `${String(props.allowed)} allowed` : ''}
      </div>
      <div className="violations" style={{ width: pct(props.violations) }}>
        {props.violations > 0 ? `${String(props.violations)} in violation` : ''}
      </div>
    </div>
  );
}

function TrafficTable(props: { readonly traffic: readonly TrafficVerdict[] }) {
  return (
    <table className="traffic">
      <thead>
        <tr>
          <th scope="col">Remote</th>
          <th scope="col">Service</th>
          <th scope="col">Verdict</th>
          <th scope="col">Flows</th>
          <th scope="col">Finding</th>
        </tr>
      </thead>
      <tbody>
        {props.traffic.map((t) => (
          <tr key={`${t.destination}-${t.verdict}-${t.service ?? ''}`} data-verdict={t.verdict}>
            <td className="mono">{t.destination}</td>
            <td>{t.service ?? ''}</td>
            <td className={t.verdict === 'allowed' ? 'ok' : 'bad'}>{t.verdict}</td>
            <td>{t.flows}</td>
            <td className="mono">{t.finding ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DevicePage(props: { readonly id: string }) {
  useTitle(`Device ${props.id}`);
  const device = useFetch<Device>(`v1/devices/${encodeURIComponent(props.id)}`);
  return (
    <Show loaded={device}>
      {(d) => (
        <>
          <h1>Device {d.id}</h1>
          <dl>
            <dt>Vendor</dt>
            <dd>
              <a href={`#/vendors/${encodeURIComponent(d.vendor)}`}>{d.vendorName ?? d.vendor}</a>
            </dd>
            {d.model === undefined ? null : (
              <>
                <dt>Model</dt>
                <dd>{d.model}</dd>
              </>
            )}
            <dt>Release</dt>
            <dd>
              {d.releaseInfo === undefined ? (
                (d.release ?? 'unknown')
              ) : (
                <>
                  {d.releaseInfo.version} (log <EntryLink index={d.releaseInfo.index} />)
                </>
              )}
            </dd>
            {d.releaseInfo?.sbom === undefined ? null : (
              <>
                <dt>SBOM</dt>
                <dd>
                  <BlobLink digest={d.releaseInfo.sbom} what="SBOM" />
                </dd>
              </>
            )}
            {d.releaseInfo?.mud === undefined ? null : (
              <>
                <dt>MUD file</dt>
                <dd>
                  <BlobLink digest={d.releaseInfo.mud} what="MUD file" />
                </dd>
              </>
            )}
            <dt>Firmware</dt>
            <dd className={firmwareClass(d.firmwareStatus ?? d.firmware)}>{firmwareText(d)}</dd>
            <dt>MUD</dt>
            <dd>
              {d.mud === undefined ? (
                'none'
              ) : (
                <>
                  {d.mud.url === undefined ? null : <span className="mono">{d.mud.url}</span>}
                  {d.mud.allowed.length === 0
                    ? null
                    : ` — allowed traffic seen with ${d.mud.allowed.join(', ')}`}
                </>
              )}
            </dd>
          </dl>
          <h2>Traffic</h2>
          {d.trafficCounts === undefined ? (
            <p className="muted">No flows were checked.</p>
          ) : (
            <TrafficBar allowed={d.trafficCounts.allowed} violations={d.trafficCounts.violations} />
          )}
          {d.traffic.length === 0 ? null : <TrafficTable traffic={d.traffic} />}
          <h2>Access grants</h2>
          {d.accessGrants.length === 0 ? (
            <p className="muted">No grants logged.</p>
          ) : (
            <ul className="grants">
              {d.accessGrants.map((g) => (
                <li key={`${g.grantId ?? g.grantee}-${String(g.statement ?? '')}`}>
                  {g.grantId === undefined ? null : <b>{g.grantId} </b>}
                  {g.grantee}: {g.scope}
                  {g.from === undefined ? '' : ` from ${g.from}`}
                  {g.until === undefined ? '' : ` until ${g.until}`}
                  {g.sources === undefined ? '' : ` from networks ${g.sources.join(', ')}`}
                  {g.statement === undefined ? null : (
                    <>
                      {' '}
                      (log <EntryLink index={g.statement} />)
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          <h2>Timeline</h2>
          <ol className="timeline">
            {d.timeline.map((e) => (
              <li key={`${e.at}-${e.event}`}>
                <time>{e.at.slice(0, 16).replace('T', ' ')}</time> {e.event}
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
