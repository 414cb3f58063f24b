import { useMemo } from 'react';
import {
  SEVERITIES,
  firmwareClass,
  type DeviceSummary,
  type Finding,
  type HistoryDay,
  type Summary,
  type VendorSummary,
} from '../api.js';
import { DayChart } from '../chart.js';
import { useFetch } from '../use-fetch.js';
import { FindingTable, Show } from './common.js';

function History(props: { readonly days: readonly HistoryDay[] }) {
  const { days } = props;
  const chart = useMemo(
    () => ({
      days: days.map((d) => d.day),
      series: SEVERITIES.map((severity) => ({
        label: severity,
        values: days.map((d) => d.bySeverity[severity] ?? 0),
      })),
    }),
    [days],
  );
  if (days.length === 0) return <p className="muted">No findings yet.</p>;
  return (
    <DayChart title="New findings per day by severity" days={chart.days} series={chart.series} />
  );
}

export function Overview() {
  const summary = useFetch<Summary>('v1/summary');
  const history = useFetch<{ days: HistoryDay[] }>('v1/findings/history');
  const findings = useFetch<{ findings: Finding[] }>('v1/findings');
  const vendors = useFetch<{ vendors: VendorSummary[] }>('v1/vendors');
  const devices = useFetch<{ devices: DeviceSummary[] }>('v1/devices');
  return (
    <>
      <h1>Overview</h1>
      <Show loaded={summary}>
        {(s) => (
          <section className="cards">
            <div className="card">
              <b>{s.findings.total}</b> findings
            </div>
            <div className="card">
              <b>{s.devices}</b> devices
            </div>
            <div className="card">
              <b>{s.vendors}</b> vendors
            </div>
            <div className="card">
              <b>{s.releases}</b> releases
            </div>
            <div className="card">
              <b>{s.log.size}</b> log entries
            </div>
            <div className="kinds">
              {Object.entries(s.findings.byKind).map(([kind, n]) => (
                <span key={kind} className="chip">
                  {kind}: {n}
                </span>
              ))}
            </div>
          </section>
        )}
      </Show>
      <h2>Findings over time</h2>
      <Show loaded={history}>{(h) => <History days={h.days} />}</Show>
      <h2>Vendors and their agreements</h2>
      <Show loaded={vendors}>
        {(v) => (
          <table>
            <thead>
              <tr>
                <th>Vendor</th>
                <th>Agreement</th>
                <th>Devices</th>
                <th>Releases</th>
                <th>Findings</th>
              </tr>
            </thead>
            <tbody>
              {v.vendors.map((vendor) => (
                <tr key={vendor.id}>
                  <td>
                    <a href={`#/vendors/${encodeURIComponent(vendor.id)}`}>{vendor.name}</a>
                  </td>
                  <td>
                    {vendor.agreement === undefined ? (
                      <span className="muted">none logged</span>
                    ) : (
                      <span className="clause-counts">
                        entry {vendor.agreement}
                        {vendor.clauses === undefined ? null : (
                          <>
                            {' · '}
                            <span className="ok">{vendor.clauses.kept} kept</span>
                            {', '}
                            <span className={vendor.clauses.broken > 0 ? 'bad' : 'ok'}>
                              {vendor.clauses.broken} broken
                            </span>
                            {vendor.clauses.notChecked > 0 ? (
                              <span className="muted">
                                {`, ${String(vendor.clauses.notChecked)} not checked`}
                              </span>
                            ) : null}
                          </>
                        )}
                      </span>
                    )}
                  </td>
                  <td>{vendor.devices}</td>
                  <td>{vendor.releases}</td>
                  <td className={vendor.findings > 0 ? 'bad' : 'ok'}>{vendor.findings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
      <h2>Devices</h2>
      <Show loaded={devices}>
        {(d) => (
          <table>
            <thead>
              <tr>
                <th>Device</th>
                <th>Vendor</th>
                <th>Firmware</th>
                <th>Findings</th>
              </tr>
            </thead>
            <tbody>
              {d.devices.map((device) => (
                <tr key={device.id}>
                  <td>
                    <a href={`#/devices/${encodeURIComponent(device.id)}`}>{device.id}</a>
                  </td>
                  <td>
                    <a href={`#/vendors/${encodeURIComponent(device.vendor)}`}>
                      {device.vendorName ?? device.vendor}
                    </a>
                  </td>
                  <td className={firmwareClass(device.firmware)}>{device.firmware}</td>
                  <td>{device.findings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
      <h2>Findings</h2>
      <Show loaded={findings}>{(f) => <FindingTable findings={f.findings} />}</Show>
    </>
  );
}
