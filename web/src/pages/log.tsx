import { useState } from 'react';
import type { Summary } from '../api.js';
import {
  entryTilePath,
  hex,
  leafHash,
  parseCheckpoint,
  parseProof,
  rootFromInclusion,
  splitEntryBundle,
  verifyCheckpointSignature,
} from '../tlog.js';
import { useFetch } from '../use-fetch.js';
import { Show } from './common.js';

interface Step {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

async function fetchOk(path: string): Promise<Response> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${String(response.status)}`);
  return response;
}

/** Each step of checking entry `index` against the log's checkpoint and verifier key. */
async function verifyEntry(
  index: number,
  verifierKey: string,
  report: (step: Step) => void,
): Promise<boolean> {
  const proofText = await (await fetchOk(`proof/${String(index)}`)).text();
  const proof = parseProof(proofText);
  report({
    what: 'Fetched the inclusion proof',
    ok: proof.index === index,
    detail: `index ${String(proof.index)}, ${String(proof.hashes.length)} hashes`,
  });
  const checkpoint = parseCheckpoint(proof.checkpoint);
  report({
    what: 'Parsed the checkpoint',
    ok: true,
    detail: `${checkpoint.origin}, size ${String(checkpoint.size)}`,
  });
  const tile = new Uint8Array(
    await (await fetchOk(entryTilePath(index, checkpoint.size))).arrayBuffer(),
  );
  const entry = splitEntryBundle(tile)[index % 256];
  if (entry === undefined) throw new Error(`the data tile has no entry ${String(index)}`);
  report({
    what: 'Fetched the entry from its data tile',
    ok: true,
    detail: `${String(entry.length)} bytes`,
  });
  const leaf = await leafHash(entry);
  report({ what: 'Computed the leaf hash SHA-256(0x00 ‖ entry)', ok: true, detail: hex(leaf) });
  const root = await rootFromInclusion(index, checkpoint.size, leaf, proof.hashes);
  const rootOk = root !== undefined && hex(root) === hex(checkpoint.root);
  report({
    what: 'Recomputed the root from the proof',
    ok: rootOk,
    detail:
      root === undefined
        ? 'the proof has the wrong length'
        : `${hex(root)} ${rootOk ? '=' : '≠'} checkpoint root`,
  });
  const signed = await verifyCheckpointSignature(checkpoint, verifierKey);
  report({
    what: 'Checked the checkpoint signature (Ed25519)',
    ok: signed,
    detail: verifierKey.split('+')[0] ?? '',
  });
  return rootOk && signed;
}

function Verifier(props: { readonly size: number; readonly verifierKey: string }) {
  const [index, setIndex] = useState(String(Math.max(0, props.size - 1)));
  const [key, setKey] = useState(props.verifierKey);
  const [steps, setSteps] = useState<Step[]>([]);
  const [verdict, setVerdict] = useState<string>('');
  const run = () => {
    setSteps([]);
    setVerdict('checking…');
    const collected: Step[] = [];
    verifyEntry(Number(index), key, (step) => {
      collected.push(step);
      setSteps([...collected]);
    }).then(
      (ok) => {
        setVerdict(ok ? 'VERIFIED' : 'NOT VERIFIED');
      },
      (error: unknown) => {
        setVerdict(`NOT VERIFIED: ${String(error)}`);
      },
    );
  };
  return (
    <section>
      <h2>Verify an entry's inclusion</h2>
      <label>
        Entry index{' '}
        <input
          id="verify-index"
          value={index}
          onChange={(e) => {
            setIndex(e.target.value);
          }}
        />
      </label>
      <label>
        Log verifier key{' '}
        <input
          id="verify-key"
          size={60}
          value={key}
          onChange={(e) => {
            setKey(e.target.value);
          }}
        />
      </label>
      <button id="verify" type="button" onClick={run}>
        Verify in this browser
      </button>
      <ol className="steps">
        {steps.map((s) => (
          <li key={s.what} className={s.ok ? 'ok' : 'bad'}>
            {s.ok ? '✔' : '✘'} {s.what}: <span className="mono">{s.detail}</span>
          </li>
        ))}
      </ol>
      <p id="verdict" className={verdict === 'VERIFIED' ? 'ok' : 'bad'}>
        {verdict}
      </p>
    </section>
  );
}

export function LogPage() {
  const summary = useFetch<Summary>('v1/summary');
  return (
    <>
      <h1>Transparency log</h1>
      <Show loaded={summary}>
        {(s) => (
          <>
            <p>
              {s.log.origin}: {s.log.size} entries
            </p>
            <h2>Checkpoint and witnesses</h2>
            <pre id="checkpoint">{s.log.checkpoint}</pre>
            <p className="muted">Signature lines after the first are witness cosignatures.</p>
            <Verifier size={s.log.size} verifierKey={s.log.verifierKey ?? ''} />
          </>
        )}
      </Show>
    </>
  );
}
