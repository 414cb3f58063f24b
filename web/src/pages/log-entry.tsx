import { useEffect, useState } from 'react';
import { localTime, logEntryPath } from '../api.js';
import { useTitle } from '../route.js';
import { encodeBase64, hex } from '../verify/bytes.js';
import {
  describeOtherEntry,
  predicateName,
  readStatement,
  type ReadStatement,
} from '../verify/read-statement.js';
import type { Trust } from '../verify/trust.js';
import { verifyEntryDetailed, type EntryVerification, type Step } from '../verify/verify-entry.js';
import { Show } from './common.js';
import { Independence, serverReader, useVerifierTrust } from './log.js';
import { YourKeys } from './log-keys.js';

const STATUS_MARK: Readonly<Record<Step['status'], string>> = {
  ok: '✔',
  bad: '✘',
  warn: '⚠',
  skip: '–',
};

/**
 * Verifies entry `index` with `trust` as soon as both are known, again when either changes. The
 * page shows the entry only from what this verification proved included, never from the
 * server's JSON.
 */
function useEntryVerification(index: number, trust: Trust | undefined) {
  const [steps, setSteps] = useState<Step[]>([]);
  const [result, setResult] = useState<EntryVerification | undefined>();
  useEffect(() => {
    if (trust === undefined) return;
    let live = true;
    const collected: Step[] = [];
    setSteps([]);
    setResult(undefined);
    void verifyEntryDetailed(index, trust, serverReader, (step) => {
      collected.push(step);
      if (live) setSteps([...collected]);
    }).then((r) => {
      if (live) setResult(r);
    });
    return () => {
      live = false;
    };
  }, [index, trust]);
  return { steps, result };
}

function Verdict(props: {
  readonly result: EntryVerification | undefined;
  readonly index: number;
}) {
  const { result } = props;
  const verdict = result?.verdict;
  const css =
    verdict === undefined
      ? 'muted'
      : !verdict.verified
        ? 'bad'
        : verdict.independent
          ? 'ok'
          : 'warn';
  return (
    <p
      id="entry-verdict"
      role="status"
      aria-live="polite"
      className={`verdict ${css}`}
      data-verified={verdict === undefined ? undefined : String(verdict.verified)}
      data-independent={verdict === undefined ? undefined : String(verdict.independent)}
    >
      {verdict === undefined ? `checking entry ${String(props.index)}…` : verdict.text}
    </p>
  );
}

function Signers(props: {
  readonly statement: ReadStatement;
  readonly verified: EntryVerification['signers'];
}) {
  const signers = props.verified;
  const verified = new Set(
    signers === undefined || typeof signers === 'string' ? [] : signers.map((s) => s.key.handle),
  );
  return (
    <ul className="signers">
      {props.statement.signatures.map((s, i) => (
        <li key={i} data-signer={s.keyid} data-verified={String(verified.has(s.keyid))}>
          {s.party === undefined ? (
            <span className="mono">{s.keyid || '(no key id)'}</span>
          ) : (
            <>
              {s.party} ({s.role ?? 'party'}, <span className="mono">{s.keyid}</span>)
            </>
          )}{' '}
          {verified.has(s.keyid) ? (
            <span className="ok">✔ signature verified with your trust</span>
          ) : (
            <span className="muted-text">
              {s.party === undefined
                ? 'not a key your trust names: not checked'
                : 'signature not verified'}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

function Statement(props: {
  readonly entry: Uint8Array;
  readonly statement: ReadStatement | undefined;
  readonly result: EntryVerification;
}) {
  const { statement, result } = props;
  if (statement === undefined) {
    return (
      <p id="entry-other">
        Not a signed statement (no DSSE envelope): {describeOtherEntry(props.entry)}.
      </p>
    );
  }
  return (
    <dl id="entry-statement">
      <dt>Statement</dt>
      <dd>
        {statement.predicateType === undefined ? (
          'unreadable payload'
        ) : (
          <>
            <strong>{predicateName(statement.predicateType)}</strong>{' '}
            <span className="mono wrap small">{statement.predicateType}</span>
          </>
        )}
      </dd>
      <dt>Subject</dt>
      <dd>
        <ul>
          {statement.subjects.map((s, i) => (
            <li key={i}>
              {s.name} <span className="mono wrap small">{s.digest}</span>
            </li>
          ))}
          {statement.moreSubjects > 0 ? <li>and {statement.moreSubjects} more</li> : null}
        </ul>
      </dd>
      <dt>Signed by</dt>
      <dd>
        <Signers statement={statement} verified={result.signers} />
      </dd>
      <dt>When</dt>
      <dd>
        {statement.time === undefined
          ? 'the statement gives no time'
          : `${localTime(statement.time.value)} (its ${statement.time.field}, as the signed statement says)`}
        <div className="muted-text small">
          Checkpoints carry no time: what is proved is that the entry was logged before every
          checkpoint larger than its index. (When the server says it signed the first of them is its
          word alone; release rows show it as Logged.)
        </div>
      </dd>
      <dt>Content</dt>
      <dd>
        <details>
          <summary>decoded predicate</summary>
          <pre className="wrap">{JSON.stringify(statement.predicate ?? null, null, 2)}</pre>
        </details>
      </dd>
    </dl>
  );
}

function Checkpoint(props: { readonly result: EntryVerification }) {
  const { checkpoint } = props.result;
  if (checkpoint === undefined) {
    return <p className="bad">No checkpoint covering this entry verified with these keys.</p>;
  }
  return (
    <dl id="entry-checkpoint" data-size={checkpoint.size}>
      <dt>Log</dt>
      <dd className="mono wrap">{checkpoint.origin}</dd>
      <dt>Size</dt>
      <dd>{checkpoint.size} entries</dd>
      <dt>Root</dt>
      <dd className="mono wrap small">
        {encodeBase64(checkpoint.root)} (hex {hex(checkpoint.root)})
      </dd>
      <dt>The log now</dt>
      <dd>
        <a href="#/log">its latest checkpoint and witnesses</a>
      </dd>
    </dl>
  );
}

export function LogEntryPage(props: { readonly index: string }) {
  useTitle(`Log entry ${props.index}`);
  const { summary, user, effective } = useVerifierTrust();
  const index = /^\d{1,15}$/.test(props.index) ? Number(props.index) : -1;
  const trust = effective.state === 'ready' ? effective.trust : undefined;
  const { steps, result } = useEntryVerification(index, trust);
  const statement = result?.entry === undefined ? undefined : readStatement(result.entry, trust);
  return (
    <>
      <h1>Log entry {props.index}</h1>
      <Show loaded={summary}>
        {(s) => (
          <>
            <nav aria-label="Entries" className="pager">
              <a href="#/log/entries">All entries</a>
              {index > 0 ? <a href={logEntryPath(index - 1)}>Previous entry</a> : null}
              {index >= 0 && index + 1 < s.log.size ? (
                <a href={logEntryPath(index + 1)}>Next entry</a>
              ) : null}
            </nav>
            <Independence effective={effective} />
            {effective.state === 'unusable' ? (
              <p className="bad">Cannot verify: {effective.reason}</p>
            ) : null}
            <Verdict result={result} index={index} />
            {result === undefined ? null : result.entry === undefined ? (
              <p className="bad" id="entry-unproved">
                Not shown: nothing the server sent for this entry was proved included in a
                checkpoint these keys verify.
              </p>
            ) : (
              <>
                <h2>What it says</h2>
                <Statement entry={result.entry} statement={statement} result={result} />
              </>
            )}
            {result === undefined ? null : (
              <>
                <h2>The checkpoint that covers it</h2>
                <Checkpoint result={result} />
              </>
            )}
            <details>
              <summary>Verification steps</summary>
              <ol className="steps">
                {steps.map((st, i) => (
                  <li key={i} className={st.status} data-source={st.key?.source}>
                    {STATUS_MARK[st.status]} {st.what}: <span className="mono">{st.detail}</span>
                  </li>
                ))}
              </ol>
            </details>
            <YourKeys {...user} />
          </>
        )}
      </Show>
    </>
  );
}
