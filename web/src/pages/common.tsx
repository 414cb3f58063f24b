import type { ReactNode } from 'react';
import { vendorPath, type Finding } from '../api.js';
import type { Loaded } from '../use-fetch.js';

/** Renders a loaded value, or the loading / error state. */
export function Show<T>(props: {
  readonly loaded: Loaded<T>;
  readonly children: (data: T) => ReactNode;
}) {
  const { loaded } = props;
  if (loaded.state === 'loading') return <p className="muted">Loading…</p>;
  if (loaded.state === 'error') return <p className="error">{loaded.message}</p>;
  return <>{props.children(loaded.data)}</>;
}

export function FindingTable(props: { readonly findings: readonly Finding[] }) {
  if (props.findings.length === 0) return <p className="ok">No findings.</p>;
  return (
    <table className="findings">
      <thead>
        <tr>
          <th>Severity</th>
          <th>Kind</th>
          <th>Subject</th>
          <th>First seen</th>
          <th>What</th>
        </tr>
      </thead>
      <tbody>
        {props.findings.map((f) => (
          <tr key={f.id} data-finding={f.id}>
            <td>
              <span className={`sev ${f.severity}`}>{f.severity}</span>
            </td>
            <td>{f.kind}</td>
            <td>
              {f.subject.device !== undefined ? (
                <a href={`#/devices/${encodeURIComponent(f.subject.device)}`}>{f.subject.device}</a>
              ) : null}{' '}
              {/* A policy finding names several vendors, joined by ", ". */}
              {(f.subject.vendor ?? '')
                .split(', ')
                .filter((name) => name !== '')
                .map((name) => (
                  <a key={name} className="vendor-link" href={vendorPath(name)}>
                    {name}
                  </a>
                ))}
            </td>
            <td>{f.firstSeen.slice(0, 10)}</td>
            <td>{f.explanation}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
