import type { Release, ReproducibilityStatus } from '../api.js';
import { EntryLink } from './common.js';

const STATUS_CLASS: Record<ReproducibilityStatus, string> = {
  reproduced: 'ok',
  pending: 'muted',
  'not-reproduced': 'bad',
  'not-equivalent': 'bad',
  'not-required': 'muted',
};

/** How many distinct evaluators attest the release equivalent, against what the clause asks. */
function tally(release: Release): string {
  const r = release.reproducibility;
  const labs = new Set(
    r.attestations.filter((a) => a.verdict === 'equivalent').map((a) => a.evaluator),
  );
  return r.required === undefined
    ? `${String(labs.size)} evaluator(s) equivalent`
    : `${String(labs.size)} of ${String(r.required.evaluators)} evaluators within ${String(r.required.withinDays)} days`;
}

/** The release's reproducibility status, for its row in the releases table. */
export function ReproducibilityCell(props: { readonly release: Release }) {
  const r = props.release.reproducibility;
  return (
    <td data-reproducibility={r.status}>
      <span className={STATUS_CLASS[r.status]}>{r.status}</span>{' '}
      <small>{tally(props.release)}</small>
      {r.finding === undefined ? null : <div className="mono">{r.finding}</div>}
    </td>
  );
}

/** Who attested each release, what and when, with the files their diff reports name. */
export function Attestations(props: { readonly releases: readonly Release[] }) {
  const attested = props.releases.filter((r) => r.reproducibility.attestations.length > 0);
  if (attested.length === 0) return <p className="muted">No rebuild attestations logged.</p>;
  return (
    <ul className="attestations">
      {attested.flatMap((release) =>
        release.reproducibility.attestations.map((a) => {
          const breaking = (a.differences ?? []).filter((d) => d.change !== 'metadata');
          const metadata = (a.differences ?? []).filter((d) => d.change === 'metadata');
          return (
            <li key={`${release.digest}-${String(a.statement)}`} data-attestation={a.verdict}>
              {a.attestedAt.slice(0, 10)}: <b>{a.evaluator}</b> attests {release.version}{' '}
              <span className={a.verdict === 'equivalent' ? 'ok' : 'bad'}>{a.verdict}</span> (log{' '}
              <EntryLink index={a.statement} />
              {a.diffReport === undefined
                ? ', the same bytes'
                : `, diff report ${a.diffReport.slice(0, 19)}…`}
              )
              {breaking.length === 0 && metadata.length === 0 ? null : (
                <ul className="differences">
                  {breaking.map((d) => (
                    <li key={d.path} className="bad mono">
                      {d.change} {d.path}
                      {d.classification === null ? '' : ` (${d.classification})`}
                    </li>
                  ))}
                  {metadata.length === 0 ? null : (
                    <li className="muted">
                      {metadata.length} in metadata only (
                      {[...new Set(metadata.map((d) => d.classification ?? ''))].join(', ')})
                    </li>
                  )}
                </ul>
              )}
            </li>
          );
        }),
      )}
    </ul>
  );
}
