import { useEffect, useState } from 'react';
import type { Summary } from '../api.js';
import { parseVerifierKey } from '../verify/note-key.js';
import { serverTrust, type Trust } from '../verify/trust.js';
import { verifyEntry, type LogReader, type Step, type Verdict } from '../verify/verify-entry.js';
import { useFetch } from '../use-fetch.js';
import { EntryLink, Show } from './common.js';
import { useTitle } from '../route.js';
import { useUserTrust, YourKeys, type UserTrust } from './log-keys.js';

/** Largest answer read from the server: a data tile of 256 maximal entries is under 17 MB. */
const MAX_RESPONSE_BYTES = 17 * 1024 * 1024;

async function fetchBytes(path: string): Promise<Uint8Array> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${String(response.status)}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_RESPONSE_BYTES) throw new Error(`${path}: more than 17 MB`);
  return bytes;
}

/** The server as a source of untrusted bytes: proofs and tiles, never keys. */
export const serverReader: LogReader = {
  proof: async (index) =>
    new TextDecoder('utf-8', { fatal: true }).decode(await fetchBytes(`proof/${String(index)}`)),
  tile: fetchBytes,
};

export type Effective =
  | { readonly state: 'ready'; readonly trust: Trust }
  | { readonly state: 'unusable'; readonly reason: string }
  | { readonly state: 'loading' };

/**
 * The trust the verifier uses: the user's keys when given. Only with none does it fall back to
 * the log key the server under test supplies, as a `server` trust that every step and verdict
 * marks NOT INDEPENDENT. Keys the user gave that cannot be read never fall back.
 */
export function useEffectiveTrust(user: UserTrust, serverKey: string | undefined): Effective {
  const [fallback, setFallback] = useState<Effective>({ state: 'loading' });
  useEffect(() => {
    if (serverKey === undefined) {
      setFallback({ state: 'unusable', reason: 'give your keys: the server supplies no log key' });
      return;
    }
    let live = true;
    parseVerifierKey(serverKey).then(
      (key) => {
        if (live) setFallback({ state: 'ready', trust: serverTrust(key) });
      },
      (error: unknown) => {
        if (live)
          setFallback({ state: 'unusable', reason: `the server's log key: ${String(error)}` });
      },
    );
    return () => {
      live = false;
    };
  }, [serverKey]);
  if (user.state === 'ok') return { state: 'ready', trust: user.trust };
  if (user.state === 'error')
    return { state: 'unusable', reason: `your keys cannot be used: ${user.message}` };
  if (user.state === 'loading') return { state: 'loading' };
  return fallback;
}

export function Independence(props: { readonly effective: Effective }) {
  const { effective } = props;
  if (effective.state !== 'ready') return null;
  const { trust } = effective;
  return trust.source === 'user' ? (
    <p id="independence" className="banner ok" data-independent="true">
      Independent: this page verifies against {trust.label}, not against anything the server
      supplies.
    </p>
  ) : (
    <p id="independence" className="banner warn" data-independent="false">
      <strong>NOT INDEPENDENT.</strong> You have given no keys, so this page verifies against{' '}
      {trust.label}. That shows only that the server agrees with itself. Give the log’s verifier key
      (and the witnesses’) or a trust file above to verify independently.
    </p>
  );
}

const STATUS_MARK: Readonly<Record<Step['status'], string>> = {
  ok: '✔',
  bad: '✘',
  warn: '⚠',
  skip: '–',
};

function Verifier(props: {
  readonly size: number;
  readonly effective: Effective;
  readonly entry: string | null;
}) {
  const [index, setIndex] = useState(props.entry ?? String(Math.max(0, props.size - 1)));
  const [steps, setSteps] = useState<Step[]>([]);
  const [verdict, setVerdict] = useState<Verdict | 'checking' | undefined>();
  const run = () => {
    setSteps([]);
    const { effective } = props;
    if (effective.state !== 'ready') {
      setVerdict({
        verified: false,
        independent: false,
        text: `NOT VERIFIED: ${effective.state === 'loading' ? 'the keys are still loading' : effective.reason}`,
      });
      return;
    }
    setVerdict('checking');
    const collected: Step[] = [];
    void verifyEntry(Number(index), effective.trust, serverReader, (step) => {
      collected.push(step);
      setSteps([...collected]);
    }).then(setVerdict);
  };
  const verdictClass =
    verdict === undefined || verdict === 'checking'
      ? 'muted'
      : !verdict.verified
        ? 'bad'
        : verdict.independent
          ? 'ok'
          : 'warn';
  return (
    <section>
      <h2>Verify an entry</h2>
      <label htmlFor="verify-index">
        Entry index{' '}
        <input
          id="verify-index"
          value={index}
          onChange={(e) => {
            setIndex(e.target.value);
          }}
        />
      </label>
      <button id="verify" type="button" onClick={run}>
        Verify in this browser
      </button>{' '}
      {/^\d{1,15}$/.test(index) ? <EntryLink index={index}>open entry {index}</EntryLink> : null}
      <ol className="steps">
        {steps.map((s, i) => (
          <li key={i} className={s.status} data-source={s.key?.source}>
            {STATUS_MARK[s.status]} {s.what}: <span className="mono">{s.detail}</span>
          </li>
        ))}
      </ol>
      <p
        id="verdict"
        role="status"
        aria-live="polite"
        className={`verdict ${verdictClass}`}
        data-verified={
          verdict === undefined || verdict === 'checking' ? undefined : String(verdict.verified)
        }
        data-independent={
          verdict === undefined || verdict === 'checking' ? undefined : String(verdict.independent)
        }
      >
        {verdict === 'checking' ? 'checking…' : (verdict?.text ?? '')}
      </p>
    </section>
  );
}

/**
 * The summary, the user's keys and the trust the verifier uses (the user's, else the server's
 * log key marked NOT INDEPENDENT): the one place the dashboard reads the server's key.
 */
export function useVerifierTrust() {
  const summary = useFetch<Summary>('v1/summary');
  const user = useUserTrust();
  const serverKey = summary.state === 'ok' ? summary.data.log.verifierKey : undefined;
  const effective = useEffectiveTrust(user.trust, serverKey);
  return { summary, user, effective };
}

export function LogPage(props: { readonly entry?: string | null }) {
  useTitle(props.entry === undefined || props.entry === null ? 'Log' : `Log entry ${props.entry}`);
  const { summary, user, effective } = useVerifierTrust();
  return (
    <>
      <h1>Transparency log</h1>
      <Show loaded={summary}>
        {(s) => (
          <>
            <p>
              {s.log.origin}: {s.log.size} entries (<a href="#/log/entries">browse them</a>
              {s.log.size > 0 ? (
                <>
                  , the latest is <EntryLink index={s.log.size - 1} />
                </>
              ) : null}
              )
            </p>
            <h2>Checkpoint and witnesses</h2>
            <pre id="checkpoint">{s.log.checkpoint}</pre>
            <p className="muted">
              As the server serves it, not yet verified. Signature lines after the first are witness
              cosignatures; the check below verifies them against your keys.
            </p>
            <YourKeys {...user} />
            <Independence effective={effective} />
            <Verifier size={s.log.size} effective={effective} entry={props.entry ?? null} />
          </>
        )}
      </Show>
    </>
  );
}
