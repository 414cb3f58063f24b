import {
  SEVERITIES,
  checkState,
  firmwareClass,
  firmwareText,
  getJson,
  localTime,
  type DeviceSummary,
  type FindingPage,
  type HistoryDay,
  type Summary,
  type VendorSummary,
} from '../api.js';
import { saveFile } from '../export-findings.js';
import { findingsCsv } from '../findings-csv.js';
import { findingsPath, pageOf, withFilter, PAGE_SIZE, type FilterKey } from '../findings-query.js';
import { setQuery, useTitle } from '../route.js';
import { useFetch } from '../use-fetch.js';
import { EntryLink, FindingTable, Show } from './common.js';
import { FindingsChart } from './findings-chart.js';

const TRIAGE_OPTIONS: readonly [string, string][] = [
  ['', 'any triage'],
  ['unsuppressed', 'not suppressed'],
  ['suppressed', 'suppressed'],
  ['none', 'not triaged'],
  ['acknowledged', 'acknowledged'],
  ['false-positive', 'false positive'],
  ['accepted-risk', 'accepted risk'],
];

const SORT_OPTIONS: readonly [string, string][] = [
  ['', 'severity'],
  ['firstSeen', 'first seen'],
  ['lastSeen', 'last seen'],
  ['kind', 'kind'],
  ['device', 'device'],
  ['vendor', 'vendor'],
];

/** The as-of line: what the report judged and when it was computed, in local time. */
function AsOf(props: { readonly summary: Summary }) {
  const { summary } = props;
  return (
    <p id="as-of" className="as-of">
      As of the evaluation date{' '}
      <time dateTime={summary.generatedAt}>{localTime(summary.generatedAt)}</time>
      {summary.computedAt === undefined ? null : (
        <>
          {' '}
          · computed <time dateTime={summary.computedAt}>{localTime(summary.computedAt)}</time>
        </>
      )}{' '}
      · log {summary.log.origin}, {summary.log.size} entries
    </p>
  );
}

/** What an unconfigured server shows instead of a false all-clear. */
function NothingChecked(props: { readonly reason: string | undefined }) {
  return (
    <section id="nothing-checked" className="banner warn" aria-labelledby="nothing-checked-title">
      <h2 id="nothing-checked-title">No check has run</h2>
      <p>
        This server judged nothing: configure <span className="mono">check:</span> in its config
        (the log, the inventory, flows, firmware images, SBOMs and OSV data, rule packs; see
        docs/check.md) and restart <span className="mono">nospy serve</span>. Until then there are
        no findings because nothing was checked, not because nothing is wrong.
      </p>
      {props.reason === undefined ? null : <p>The server says: {props.reason}</p>}
    </section>
  );
}

function SeverityCards(props: { readonly summary: Summary; readonly query: URLSearchParams }) {
  const chosen = props.query.get('severity') ?? '';
  return (
    <section className="cards" aria-label="Findings by severity">
      {SEVERITIES.map((s) => {
        const n = props.summary.findings.bySeverity[s] ?? 0;
        return (
          <button
            key={s}
            type="button"
            className={`card sev-card ${s}`}
            aria-pressed={chosen === s}
            data-severity={s}
            onClick={() => {
              setQuery(withFilter(props.query, 'severity', chosen === s ? '' : s));
            }}
          >
            <b>{n}</b> {s}
          </button>
        );
      })}
      <div className="kinds" aria-label="Findings by kind">
        {Object.entries(props.summary.findings.byKind).map(([kind, n]) => (
          <button
            key={kind}
            type="button"
            className="chip"
            aria-pressed={props.query.get('kind') === kind}
            data-kind={kind}
            onClick={() => {
              setQuery(
                withFilter(props.query, 'kind', props.query.get('kind') === kind ? '' : kind),
              );
            }}
          >
            {kind}: {n}
          </button>
        ))}
      </div>
    </section>
  );
}

function Select(props: {
  readonly query: URLSearchParams;
  readonly name: FilterKey;
  readonly label: string;
  readonly options: readonly (readonly [string, string])[];
}) {
  const id = `filter-${props.name}`;
  return (
    <label htmlFor={id}>
      {props.label}{' '}
      <select
        id={id}
        value={props.query.get(props.name) ?? ''}
        onChange={(e) => {
          setQuery(withFilter(props.query, props.name, e.target.value));
        }}
      >
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function Filters(props: {
  readonly query: URLSearchParams;
  readonly summary: Summary;
  readonly vendors: readonly VendorSummary[];
  readonly devices: readonly DeviceSummary[];
}) {
  const { query } = props;
  return (
    <form
      className="filters"
      aria-label="Filter findings"
      onSubmit={(e) => {
        e.preventDefault();
      }}
    >
      <Select
        query={query}
        name="severity"
        label="Severity"
        options={[['', 'any'], ...SEVERITIES.map((s) => [s, s] as const)]}
      />
      <Select
        query={query}
        name="kind"
        label="Kind"
        options={[
          ['', 'any'],
          ...Object.keys(props.summary.findings.byKind).map((k) => [k, k] as const),
        ]}
      />
      <Select
        query={query}
        name="vendor"
        label="Vendor"
        options={[['', 'any'], ...props.vendors.map((v) => [v.id, v.name] as const)]}
      />
      <Select
        query={query}
        name="device"
        label="Device"
        options={[['', 'any'], ...props.devices.map((d) => [d.id, d.id] as const)]}
      />
      <label htmlFor="filter-since">
        New since{' '}
        <input
          id="filter-since"
          type="date"
          value={query.get('since') ?? ''}
          onChange={(e) => {
            setQuery(withFilter(query, 'since', e.target.value));
          }}
        />
      </label>
      <Select query={query} name="triage" label="Triage" options={TRIAGE_OPTIONS} />
      <Select query={query} name="sort" label="Sort by" options={SORT_OPTIONS} />
      <Select
        query={query}
        name="order"
        label="Order"
        options={[
          ['', 'ascending'],
          ['desc', 'descending'],
        ]}
      />
      {query.toString() === '' ? null : (
        <button
          type="button"
          onClick={() => {
            setQuery(new URLSearchParams());
          }}
        >
          Clear filters
        </button>
      )}
    </form>
  );
}

function Pager(props: { readonly query: URLSearchParams; readonly total: number }) {
  const page = pageOf(props.query);
  const pages = Math.max(1, Math.ceil(props.total / PAGE_SIZE));
  const go = (n: number) => {
    const next = new URLSearchParams(props.query);
    if (n === 0) next.delete('page');
    else next.set('page', String(n));
    setQuery(next);
  };
  if (pages === 1) return null;
  return (
    <nav className="pager" aria-label="Pages of findings">
      <button
        type="button"
        disabled={page === 0}
        onClick={() => {
          go(page - 1);
        }}
      >
        Previous
      </button>
      <span>
        page {page + 1} of {pages}
      </span>
      <button
        type="button"
        disabled={page + 1 >= pages}
        onClick={() => {
          go(page + 1);
        }}
      >
        Next
      </button>
    </nav>
  );
}

function Export(props: { readonly query: URLSearchParams }) {
  const all = async () =>
    (await getJson<FindingPage>(findingsPath(props.query, undefined))).findings;
  return (
    <p className="export">
      Export this view:{' '}
      <button
        type="button"
        onClick={() =>
          void all().then((f) => {
            saveFile('nospy-findings.csv', 'text/csv', findingsCsv(f));
          })
        }
      >
        CSV
      </button>{' '}
      <button
        type="button"
        onClick={() =>
          void all().then((f) => {
            saveFile('nospy-findings.json', 'application/json', `${JSON.stringify(f, null, 2)}\n`);
          })
        }
      >
        JSON
      </button>
    </p>
  );
}

function Findings(props: {
  readonly query: URLSearchParams;
  readonly summary: Summary;
  readonly vendors: readonly VendorSummary[];
  readonly devices: readonly DeviceSummary[];
}) {
  const page = pageOf(props.query);
  const findings = useFetch<FindingPage>(findingsPath(props.query, page));
  const filtered = props.query.toString() !== '';
  return (
    <section aria-labelledby="findings-title">
      <h2 id="findings-title">Findings</h2>
      <Filters {...props} />
      <Show loaded={findings}>
        {(f) => (
          <>
            <p aria-live="polite" id="findings-count">
              {f.total} {f.total === 1 ? 'finding' : 'findings'}
              {filtered ? ' match these filters' : ''}
              {f.total > PAGE_SIZE
                ? `, ${String(page * PAGE_SIZE + 1)}–${String(Math.min(f.total, (page + 1) * PAGE_SIZE))} shown`
                : ''}
            </p>
            <FindingTable
              findings={f.findings}
              caption="Findings, most severe first unless sorted otherwise"
              empty={
                filtered
                  ? 'No finding matches these filters.'
                  : 'No findings: every check that ran passed.'
              }
            />
            <Pager query={props.query} total={f.total} />
            <Export query={props.query} />
          </>
        )}
      </Show>
    </section>
  );
}

function Vendors(props: { readonly vendors: readonly VendorSummary[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>Vendors and their agreements</caption>
        <thead>
          <tr>
            <th scope="col">Vendor</th>
            <th scope="col">Agreement</th>
            <th scope="col">Devices</th>
            <th scope="col">Releases</th>
            <th scope="col">Findings</th>
          </tr>
        </thead>
        <tbody>
          {props.vendors.map((vendor) => (
            <tr key={vendor.id}>
              <th scope="row">
                <a href={`#/vendors/${encodeURIComponent(vendor.id)}`}>{vendor.name}</a>
              </th>
              <td>
                {vendor.agreement === undefined ? (
                  <span className="muted-text">none logged</span>
                ) : (
                  <span className="clause-counts">
                    <EntryLink index={vendor.agreement} />
                    {vendor.clauses === undefined ? null : (
                      <>
                        {' · '}
                        <span className="ok">{vendor.clauses.kept} kept</span>
                        {', '}
                        <span className={vendor.clauses.broken > 0 ? 'bad' : 'ok'}>
                          {vendor.clauses.broken} broken
                        </span>
                        {(vendor.clauses.pending ?? 0) > 0 ? (
                          <span className="muted-text">{`, ${String(vendor.clauses.pending ?? 0)} pending`}</span>
                        ) : null}
                        {vendor.clauses.notChecked > 0 ? (
                          <span className="muted-text">{`, ${String(vendor.clauses.notChecked)} not checked`}</span>
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
    </div>
  );
}

function Devices(props: { readonly devices: readonly DeviceSummary[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>Devices</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Vendor</th>
            <th scope="col">Firmware</th>
            <th scope="col">Findings</th>
          </tr>
        </thead>
        <tbody>
          {props.devices.map((device) => (
            <tr key={device.id}>
              <th scope="row">
                <a href={`#/devices/${encodeURIComponent(device.id)}`}>{device.id}</a>
              </th>
              <td>
                <a href={`#/vendors/${encodeURIComponent(device.vendor)}`}>
                  {device.vendorName ?? device.vendor}
                </a>
              </td>
              <td className={firmwareClass(device.firmwareStatus ?? device.firmware)}>
                {firmwareText(device)}
              </td>
              <td>{device.findings}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Overview(props: { readonly query: URLSearchParams }) {
  useTitle('Overview');
  const summary = useFetch<Summary>('v1/summary');
  const history = useFetch<{ days: HistoryDay[] }>('v1/findings/history');
  const vendors = useFetch<{ vendors: VendorSummary[] }>('v1/vendors');
  const devices = useFetch<{ devices: DeviceSummary[] }>('v1/devices');
  return (
    <>
      <h1>Overview</h1>
      <Show loaded={summary}>
        {(s) =>
          checkState(s) === 'unconfigured' ? (
            <>
              <AsOf summary={s} />
              <NothingChecked reason={s.reason} />
            </>
          ) : (
            <>
              <AsOf summary={s} />
              <SeverityCards summary={s} query={props.query} />
              <Findings
                query={props.query}
                summary={s}
                vendors={vendors.state === 'ok' ? vendors.data.vendors : []}
                devices={devices.state === 'ok' ? devices.data.devices : []}
              />
              <h2>New findings over time</h2>
              <Show loaded={history}>
                {(h) => <FindingsChart days={h.days} until={s.generatedAt} />}
              </Show>
              <h2>Vendors and their agreements</h2>
              <Show loaded={vendors}>{(v) => <Vendors vendors={v.vendors} />}</Show>
              <h2>Devices</h2>
              <Show loaded={devices}>{(d) => <Devices devices={d.devices} />}</Show>
            </>
          )
        }
      </Show>
    </>
  );
}
