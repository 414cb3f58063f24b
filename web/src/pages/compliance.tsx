import type { Pack } from '../api.js';
import { ShareBar } from '../chart.js';
import { useFetch } from '../use-fetch.js';
import { useTitle } from '../route.js';
import { FindingTable, Show } from './common.js';

function Domains(props: { readonly domains: Pack['domains'] }) {
  if (props.domains.length === 0) return <p className="muted">No vendor-share cap in this pack.</p>;
  return (
    <>
      {props.domains.map((d) => (
        <div key={`${d.rule ?? ''}-${d.domain}-${d.measure ?? ''}`} className="domain">
          <h4>
            {d.domain}
            {d.technology === undefined ? '' : ` ${d.technology}`}
            {d.measure === undefined ? '' : ` by ${d.measure}`} (cap {(d.cap * 100).toFixed(0)}%
            {d.rule === undefined ? '' : `, ${d.rule}`})
          </h4>
          {d.shares.map((s) => (
            <div key={s.vendor} className="share-row">
              <span>{s.vendor}</span>
              <ShareBar share={s.share} cap={d.cap} over={s.overCap} capped={s.capped} />
              <span className={s.overCap ? 'bad' : s.capped ? 'ok' : 'muted'}>
                {(s.share * 100).toFixed(0)}%
              </span>
            </div>
          ))}
        </div>
      ))}
    </>
  );
}

/** The pack's verdict: compliant, or not with the rules broken (a proposal is never a breach). */
function Verdict(props: { readonly pack: Pack }) {
  const rules = [
    ...new Set(props.pack.findings.map((f) => f.breaks.rule ?? '').filter((r) => r !== '')),
  ];
  if (rules.length === 0)
    return (
      <p className="verdict ok" data-verdict="compliant">
        Compliant: no rule of this pack is broken on the evaluation day.
      </p>
    );
  return (
    <p
      className={`verdict ${props.pack.proposed === true ? 'proposed' : 'bad'}`}
      data-verdict="not-compliant"
    >
      {props.pack.proposed === true ? 'Would not comply' : 'Not compliant'}: {rules.length} rule
      {rules.length === 1 ? '' : 's'} broken ({rules.join(', ')}).
    </p>
  );
}

export function CompliancePage() {
  useTitle('Compliance');
  const compliance = useFetch<{ packs: Pack[] }>('v1/compliance');
  return (
    <>
      <h1>Compliance</h1>
      <Show loaded={compliance}>
        {(c) =>
          c.packs.length === 0 ? (
            <p className="muted">No rule packs configured.</p>
          ) : (
            c.packs.map((p) => (
              <section key={p.pack} className="pack">
                <h2>{p.pack}</h2>
                {p.title === undefined ? null : <p className="muted">{p.title}</p>}
                <Verdict pack={p} />
                {p.proposed === true ? (
                  <p className="proposed">
                    Proposed law, not in force: its findings are not violations.
                  </p>
                ) : null}
                {p.pending.length === 0 ? null : (
                  <>
                    <h3>Not yet applicable</h3>
                    <ul>
                      {p.pending.map((r) => (
                        <li key={r.rule}>
                          {r.rule}: {r.what}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                <h3>Vendor shares against caps</h3>
                <Domains domains={p.domains} />
                <h3>Deadlines ahead</h3>
                {p.deadlines.length === 0 ? (
                  <p className="muted">None.</p>
                ) : (
                  <ul>
                    {p.deadlines.map((d) => (
                      <li key={`${d.date}-${d.rule}`}>
                        <time>{d.date}</time> {d.rule}: {d.what}
                      </li>
                    ))}
                  </ul>
                )}
                <h3>Remediation plan</h3>
                {p.plan.length === 0 ? (
                  <p className="ok">Nothing to remove.</p>
                ) : (
                  <ol className="plan">
                    {p.plan.map((s) => (
                      <li key={`${s.by}-${s.step}`} className={s.overdue === true ? 'overdue' : ''}>
                        by <time>{s.by}</time>
                        {s.overdue === true ? <span className="bad"> (overdue)</span> : null}:{' '}
                        {s.step}
                      </li>
                    ))}
                  </ol>
                )}
                <h3>Findings</h3>
                <FindingTable findings={p.findings} />
              </section>
            ))
          )
        }
      </Show>
    </>
  );
}
