import type { Pack } from '../api.js';
import { ShareBar } from '../chart.js';
import { useFetch } from '../use-fetch.js';
import { FindingTable, Show } from './common.js';

export function CompliancePage() {
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
              <section key={p.pack}>
                <h2>{p.pack}</h2>
                {p.domains.map((d) => (
                  <div key={d.domain} className="domain">
                    <h3>
                      {d.domain} (cap {(d.cap * 100).toFixed(0)}%)
                    </h3>
                    {d.shares.map((s) => (
                      <div key={s.vendor} className="share-row">
                        <span>{s.vendor}</span>
                        <ShareBar share={s.share} cap={d.cap} over={s.overCap} />
                        <span className={s.overCap ? 'bad' : 'ok'}>
                          {(s.share * 100).toFixed(0)}%
                        </span>
                      </div>
                    ))}
                  </div>
                ))}
                <h3>Deadlines ahead</h3>
                <ul>
                  {p.deadlines.map((d) => (
                    <li key={`${d.date}-${d.rule}`}>
                      <time>{d.date}</time> {d.rule}: {d.what}
                    </li>
                  ))}
                </ul>
                <h3>Remediation plan</h3>
                <ol>
                  {p.plan.map((s) => (
                    <li key={`${s.by}-${s.step}`}>
                      by {s.by}: {s.step}
                    </li>
                  ))}
                </ol>
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
