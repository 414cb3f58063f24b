import { useEffect, useState } from 'react';
import {
  forgetStoredTrust,
  loadStoredTrust,
  saveStoredTrust,
  type StoredTrust,
} from '../trust-store.js';
import type { Trust } from '../verify/trust.js';
import { MAX_TRUST_TEXT, parseUserTrust } from '../verify/user-trust.js';

export type UserTrust =
  | { readonly state: 'none' }
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly message: string }
  | { readonly state: 'ok'; readonly trust: Trust };

/** The user's keys from localStorage, parsed; `save` and `forget` change what is kept. */
export function useUserTrust(): {
  readonly trust: UserTrust;
  readonly stored: StoredTrust | undefined;
  readonly save: (stored: StoredTrust) => void;
  readonly forget: () => void;
} {
  const [stored, setStored] = useState<StoredTrust | undefined>(loadStoredTrust);
  const [trust, setTrust] = useState<UserTrust>({
    state: stored === undefined ? 'none' : 'loading',
  });
  useEffect(() => {
    if (stored === undefined) {
      setTrust({ state: 'none' });
      return;
    }
    let live = true;
    setTrust({ state: 'loading' });
    parseUserTrust(stored.text, stored.name).then(
      (parsed) => {
        if (live) setTrust({ state: 'ok', trust: parsed });
      },
      (error: unknown) => {
        if (live)
          setTrust({
            state: 'error',
            message: error instanceof Error ? error.message : String(error),
          });
      },
    );
    return () => {
      live = false;
    };
  }, [stored]);
  return {
    trust,
    stored,
    save: (value) => {
      saveStoredTrust(value);
      setStored(value);
    },
    forget: () => {
      forgetStoredTrust();
      setStored(undefined);
    },
  };
}

/** The keys in use, each with its role, as the verifier will use them. */
function TrustSummary(props: { readonly trust: Trust }) {
  const { trust } = props;
  const log = trust.log;
  return (
    <ul id="trust-summary">
      <li>
        Log key:{' '}
        {log === undefined ? (
          <span className="bad">none (the page cannot verify a checkpoint)</span>
        ) : log.kind === 'named' ? (
          <span className="mono">{log.key.handle}</span>
        ) : (
          <span>the Ed25519 key whose name is the checkpoint’s origin</span>
        )}
      </li>
      <li>
        Witnesses:{' '}
        {trust.witnesses.keys.length === 0
          ? 'none'
          : trust.witnesses.keys.map((k) => k.handle).join(', ')}
        {trust.witnesses.keys.length === 0 ? '' : `; quorum ${String(trust.witnesses.quorum)}`}
      </li>
      <li>
        Statement signers:{' '}
        {trust.signers.length === 0
          ? 'none'
          : trust.signers
              .map((s) => (s.party === undefined ? s.key.handle : `${s.party} (${s.role ?? ''})`))
              .join(', ')}
      </li>
    </ul>
  );
}

/** Where the user gives the keys the log page verifies against. */
export function YourKeys(props: {
  readonly trust: UserTrust;
  readonly stored: StoredTrust | undefined;
  readonly save: (stored: StoredTrust) => void;
  readonly forget: () => void;
}) {
  const [text, setText] = useState(props.stored?.text ?? '');
  const [fileError, setFileError] = useState('');
  const onFile = (file: File | undefined) => {
    setFileError('');
    if (file === undefined) return;
    if (file.size > MAX_TRUST_TEXT) {
      setFileError(`${file.name} is larger than 1 MiB: not a trust file`);
      return;
    }
    file.text().then(
      (content) => {
        setText(content);
        props.save({ text: content, name: file.name });
      },
      (error: unknown) => {
        setFileError(`${file.name}: ${String(error)}`);
      },
    );
  };
  const { trust } = props;
  return (
    <section>
      <h2>Your keys</h2>
      <p className="muted">
        Paste the log’s verifier key, the witnesses’ keys and the statement signers’ keys (one
        <span className="mono"> name+hash+base64 </span> key a line), or a nospy trust file. They
        are kept in this browser only. With pasted keys the log key is the one named like the log’s
        origin, and every pasted witness must cosign; a trust file sets its own quorum.
      </p>
      <textarea
        id="trust-text"
        aria-label="Verifier keys or trust file"
        rows={6}
        cols={80}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
        }}
      />
      <div>
        <button
          id="trust-use"
          type="button"
          onClick={() => {
            props.save({ text });
          }}
        >
          Use these keys
        </button>{' '}
        <label className="inline">
          or upload a trust file{' '}
          <input
            id="trust-file"
            type="file"
            accept=".yaml,.yml,.txt"
            onChange={(e) => {
              onFile(e.target.files?.[0]);
            }}
          />
        </label>{' '}
        <button
          id="trust-forget"
          type="button"
          onClick={() => {
            setText('');
            props.forget();
          }}
        >
          Forget my keys
        </button>
      </div>
      {fileError === '' ? null : (
        <p className="error" role="alert">
          {fileError}
        </p>
      )}
      {trust.state === 'error' ? (
        <p id="trust-error" className="error" role="alert">
          Your keys cannot be used: {trust.message}
        </p>
      ) : null}
      {trust.state === 'ok' ? <TrustSummary trust={trust.trust} /> : null}
    </section>
  );
}
