import type { ReactNode } from 'react';
import { blobPath, findingPath, logEntryPath, vendorPath, type Finding } from '../api.js';
import type { Loaded } from '../use-fetch.js';
import { breaksText } from '../findings-csv.js';

/** Renders a loaded value, or the loading / error state. */
export function Show<T>(props: {
  readonly loaded: Loaded<T>;
  readonly children: (data: T) => ReactNode;
}) {
  const { loaded } = props;
  if (loaded.state === 'loading') return <p className="muted-text">Loading…</p>;
  if (loaded.state === 'error') return <p className="error">{loaded.message}</p>;
  return <>{props.children(loaded.data)}</>;
}

export function FindingTable(props: {
  readonly findings: readonly Finding[];
  readonly caption?: string;
  /** Said when the list is empty (the subject was checked and nothing was found). */
  readonly empty?: string;
}) {
  if (props.findings.length === 0) return <p className="ok">{props.empty ?? 'No findings.'}</p>;
  return (
    <div className="table-wrap">
      <table className="findings">
        <caption>{props.caption ?? 'Findings'}</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Finding</th>
            <th scope="col">Subject</th>
            <th scope="col">Breaks</th>
            <th scope="col">First seen</th>
            <th scope="col">Triage</th>
          </tr>
        </thead>
        <tbody>
          {props.findings.map((f) => (
            <tr key={f.id} data-finding={f.id}>
              <td>
                <span className={`sev ${f.severity}`}>{f.severity}</span>
              </td>
              <td>
                <a className="finding-link" href={findingPath(f.id)}>
                  {f.kind}
                </a>
                <div className="explanation">{f.explanation}</div>
              </td>
              <td>
                {f.subject.device !== undefined ? (
                  <a
                    className="device-link"
                    href={`#/devices/${encodeURIComponent(f.subject.device)}`}
                  >
                    {f.subject.device}
                  </a>
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
              <td className="mono small">{breaksText(f)}</td>
              <td>{f.firstSeen.slice(0, 10)}</td>
              <td>{f.triage === undefined ? '' : f.triage.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A log index as a link to the entry's page, which verifies it: `entry 12` by default. */
export function EntryLink(props: {
  readonly index: number | string;
  readonly children?: ReactNode;
}) {
  return (
    <a className="log-link" href={logEntryPath(props.index)}>
      {props.children ?? `entry ${String(props.index)}`}
    </a>
  );
}

/** A blob's digest, shortened, as a link to its bytes on the server (`/v1/blobs/<digest>`). */
export function BlobLink(props: { readonly digest: string; readonly what: string }) {
  return (
    <a
      className="blob-link mono"
      href={blobPath(props.digest)}
      title={`${props.what} ${props.digest}`}
    >
      {props.digest.slice(0, 19)}…
    </a>
  );
}
