import {
  findingPath,
  localTime,
  logEntryPath,
  vendorPath,
  type EvidencePart,
  type FindingDetail,
  type Pack,
} from '../api.js';
import { CLAUSE_TEXT, REMEDIATION, SEVERITY_WHY } from '../finding-texts.js';
import { useTitle } from '../route.js';
import { useFetch } from '../use-fetch.js';
import { EntryLink, Show } from './common.js';
import { decodeStatement, EvidenceView } from './evidence-view.js';
import { DownloadEvidence } from './finding-download.js';
import { TriagePanel } from './finding-triage.js';
import { VerifyFinding } from './finding-verify.js';

/** The clause's parameters, read from the agreement statement the evidence carries. */
function clauseParameters(
  evidence: readonly EvidencePart[],
  agreement: number,
  clause: string,
): Record<string, unknown> | undefined {
  const part = evidence.find((e) => e.type === 'statement' && e.index === agreement);
  const predicate = part === undefined ? undefined : decodeStatement(part)?.predicate;
  const clauses = (predicate as { clauses?: Record<string, unknown>[] } | undefined)?.clauses;
  const found = clauses?.find((c) => c.clause === clause);
  if (found === undefined) return undefined;
  const { clause: _id, ...parameters } = found;
  return parameters;
}

function Promised(props: { readonly finding: FindingDetail }) {
  const { breaks, evidence = [] } = props.finding;
  const packs = useFetch<{ packs: Pack[] }>('v1/compliance');
  if (breaks.type === 'clause' && breaks.clause !== undefined && breaks.agreement !== undefined) {
    const parameters = clauseParameters(evidence, breaks.agreement, breaks.clause);
    return (
      <dl>
        <dt>Clause</dt>
        <dd className="mono">{breaks.clause}</dd>
        <dt>It promises</dt>
        <dd>{CLAUSE_TEXT[breaks.clause] ?? 'a clause this dashboard has no words for'}</dd>
        {parameters === undefined || Object.keys(parameters).length === 0 ? null : (
          <>
            <dt>Parameters</dt>
            <dd className="mono">
              {Object.entries(parameters)
                .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
                .join(', ')}
            </dd>
          </>
        )}
        <dt>Agreement</dt>
        <dd>
          <EntryLink index={breaks.agreement}>log entry {breaks.agreement}</EntryLink>
        </dd>
      </dl>
    );
  }
  if (breaks.type === 'rule') {
    const source = evidence.find((e) => e.type === 'policy')?.source;
    const pack =
      packs.state === 'ok' ? packs.data.packs.find((p) => p.pack === breaks.pack) : undefined;
    const deadline = pack?.deadlines.find((d) => d.rule === breaks.rule);
    return (
      <dl>
        <dt>Rule</dt>
        <dd className="mono">
          {breaks.pack} / {breaks.rule}
        </dd>
        {pack?.title === undefined ? null : (
          <>
            <dt>Rule pack</dt>
            <dd>
              <a href="#/compliance">{pack.title}</a>
            </dd>
          </>
        )}
        {deadline === undefined ? null : (
          <>
            <dt>It requires</dt>
            <dd>
              {deadline.what} ({deadline.date})
            </dd>
          </>
        )}
        <dt>Legal basis</dt>
        <dd className="wrap">{typeof source === 'string' ? source : 'not given by the pack'}</dd>
      </dl>
    );
  }
  return <p>The log itself: it must be append-only, one history for everyone.</p>;
}

function Subject(props: { readonly finding: FindingDetail }) {
  const { subject, evidence = [] } = props.finding;
  const entries = [
    ...new Set(
      evidence
        .filter((e) => e.type === 'statement' && typeof e.index === 'number')
        .map((e) => e.index as number),
    ),
  ].sort((a, b) => a - b);
  return (
    <dl>
      {subject.device === undefined ? null : (
        <>
          <dt>Device</dt>
          <dd>
            <a className="device-link" href={`#/devices/${encodeURIComponent(subject.device)}`}>
              {subject.device}
            </a>
          </dd>
        </>
      )}
      {subject.vendor === undefined ? null : (
        <>
          <dt>Vendor</dt>
          <dd>
            {subject.vendor
              .split(', ')
              .filter((n) => n !== '')
              .map((name) => (
                <a key={name} className="vendor-link" href={vendorPath(name)}>
                  {name}
                </a>
              ))}
          </dd>
        </>
      )}
      {subject.release === undefined ? null : (
        <>
          <dt>Release (image)</dt>
          <dd className="mono wrap">{subject.release}</dd>
        </>
      )}
      {subject.log === undefined ? null : (
        <>
          <dt>Log</dt>
          <dd className="mono">{subject.log}</dd>
        </>
      )}
      {entries.length === 0 ? null : (
        <>
          <dt>Log entries</dt>
          <dd>
            {entries.map((i) => (
              <a key={i} className="log-link item-link" href={logEntryPath(i)}>
                entry {i}
              </a>
            ))}
          </dd>
        </>
      )}
    </dl>
  );
}

function History(props: { readonly finding: FindingDetail }) {
  const { finding } = props;
  const h = finding.history;
  return (
    <dl>
      <dt>First seen</dt>
      <dd>{localTime(h?.firstSeen ?? finding.firstSeen)}</dd>
      <dt>Last seen</dt>
      <dd>{localTime(h?.lastSeen ?? finding.lastSeen ?? finding.firstSeen)}</dd>
      {h === undefined ? null : (
        <>
          <dt>Reported by checks</dt>
          <dd>
            from the check of {localTime(h.firstRun)} to that of {localTime(h.lastRun)}
          </dd>
          <dt>Resolved</dt>
          <dd>{h.resolvedAt === undefined ? 'no: still reported' : localTime(h.resolvedAt)}</dd>
        </>
      )}
    </dl>
  );
}

export function FindingPage(props: { readonly id: string }) {
  const finding = useFetch<FindingDetail>(`v1/findings/${encodeURIComponent(props.id)}`);
  useTitle(`Finding ${props.id}`);
  return (
    <Show loaded={finding}>
      {(f) => (
        <article className="finding" data-finding-page={f.id}>
          <h1>
            <span className={`sev ${f.severity}`}>{f.severity}</span> {f.kind}
          </h1>
          <p className="lead">{f.explanation}</p>
          <p className="mono muted-text wrap">
            <a href={findingPath(f.id)}>{f.id}</a>
          </p>
          {f.history?.resolvedAt === undefined ? null : (
            <p className="banner ok">
              Resolved: the check of {localTime(f.history.resolvedAt)} no longer reports it.
            </p>
          )}
          <div className="finding-grid">
            <section aria-labelledby="seen">
              <h2 id="seen">What was seen</h2>
              <Subject finding={f} />
            </section>
            <section aria-labelledby="promised">
              <h2 id="promised">What was promised</h2>
              <Promised finding={f} />
            </section>
            <section aria-labelledby="severity">
              <h2 id="severity">Severity: {f.severity}</h2>
              <p>{SEVERITY_WHY[f.kind] ?? ''}</p>
            </section>
            <section aria-labelledby="history">
              <h2 id="history">History</h2>
              <History finding={f} />
            </section>
          </div>
          <section aria-labelledby="remedy">
            <h2 id="remedy">What would close it</h2>
            <p>{REMEDIATION[f.kind] ?? ''}</p>
          </section>
          <section aria-labelledby="evidence">
            <h2 id="evidence">Evidence</h2>
            <DownloadEvidence id={f.id} />
            <ol className="evidence">
              {(f.evidence ?? []).map((part, i) => (
                <li key={i} data-evidence={part.type}>
                  <h3>{part.type}</h3>
                  <EvidenceView part={part} />
                </li>
              ))}
            </ol>
          </section>
          <VerifyFinding finding={f} />
          <TriagePanel finding={f} />
        </article>
      )}
    </Show>
  );
}
