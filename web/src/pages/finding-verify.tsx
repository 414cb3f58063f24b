import { useState } from 'react';
import type { FindingDetail } from '../api.js';
import { verifyEntry, type Step, type Verdict } from '../verify/verify-entry.js';
import { YourKeys } from './log-keys.js';
import { Independence, serverReader, useVerifierTrust } from './log.js';

interface EntryResult {
  readonly index: number;
  readonly steps: readonly Step[];
  readonly verdict: Verdict;
}

/** The log entries a finding's evidence cites (its statements), in order. */
function citedEntries(finding: FindingDetail): number[] {
  const entries = (finding.evidence ?? [])
    .filter((e) => e.type === 'statement' && typeof e.index === 'number')
    .map((e) => e.index as number);
  return [...new Set(entries)].sort((a, b) => a - b);
}

/**
 * "Verify in this browser": every log entry the finding cites, checked with the log page's
 * verifier (web/src/verify) against the user's own keys: checkpoint signature, witness quorum,
 * inclusion and the statement's signatures. Without the user's keys the verdict says it is not
 * independent.
 */
export function VerifyFinding(props: { readonly finding: FindingDetail }) {
  const { user, effective } = useVerifierTrust();
  const [results, setResults] = useState<EntryResult[]>([]);
  const [verdict, setVerdict] = useState<string>('');
  const [verified, setVerified] = useState<boolean | undefined>();
  const entries = citedEntries(props.finding);
  const run = async () => {
    setResults([]);
    setVerified(undefined);
    if (effective.state !== 'ready') {
      setVerified(false);
      setVerdict(
        `NOT VERIFIED: ${effective.state === 'loading' ? 'the keys are still loading' : effective.reason}`,
      );
      return;
    }
    setVerdict('checking…');
    const done: EntryResult[] = [];
    for (const index of entries) {
      const steps: Step[] = [];
      const result = await verifyEntry(index, effective.trust, serverReader, (s) => steps.push(s));
      done.push({ index, steps, verdict: result });
      setResults([...done]);
    }
    const all = done.every((r) => r.verdict.verified);
    const independent = done.every((r) => r.verdict.independent);
    setVerified(all);
    setVerdict(
      all
        ? `${independent ? 'VERIFIED independently' : 'VERIFIED, but NOT INDEPENDENT'}: all ${String(done.length)} log entries this finding cites are in the log and signed as they say.`
        : `NOT VERIFIED: ${done
            .filter((r) => !r.verdict.verified)
            .map((r) => `entry ${String(r.index)}: ${r.verdict.text}`)
            .join('; ')}`,
    );
  };
  return (
    <section aria-labelledby="verify-finding">
      <h2 id="verify-finding">Verify in this browser</h2>
      {entries.length === 0 ? (
        <p>
          This finding cites no log entry; its evidence file is checked with{' '}
          <span className="mono">nospy verify</span>.
        </p>
      ) : (
        <>
          <p>
            Checks log {entries.length === 1 ? 'entry' : 'entries'} {entries.map(String).join(', ')}{' '}
            against your own keys, with nothing trusted from this server.
          </p>
          <details>
            <summary>Your keys</summary>
            <YourKeys {...user} />
          </details>
          <Independence effective={effective} />
          <button id="verify-finding-button" type="button" onClick={() => void run()}>
            Verify in this browser
          </button>
          {results.map((r) => (
            <details key={r.index} open={!r.verdict.verified}>
              <summary className={r.verdict.verified ? 'ok' : 'bad'}>
                entry {r.index}: {r.verdict.verified ? 'verified' : 'NOT verified'}
              </summary>
              <ol className="steps">
                {r.steps.map((s, i) => (
                  <li key={i} className={s.status}>
                    {s.what}: <span className="mono wrap">{s.detail}</span>
                  </li>
                ))}
              </ol>
            </details>
          ))}
        </>
      )}
      <p
        id="finding-verdict"
        role="status"
        aria-live="polite"
        className={`verdict ${verified === undefined ? '' : verified ? 'ok' : 'bad'}`}
        data-verified={verified === undefined ? undefined : String(verified)}
      >
        {verdict}
      </p>
    </section>
  );
}
