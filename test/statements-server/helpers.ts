import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { openLog, type OpenLog, type OpenLogOptions } from '../../src/log/open-log.js';
import { createServer, type LogServer } from '../../src/server/server.js';
import type { ServerLimits } from '../../src/server/limits/server-limits.js';
import { addSignature, type Envelope } from '../../src/statements/dsse.js';
import { loadPrivateKeyFile, loadStatementFile } from '../../src/statements/files.js';
import { signStatement } from '../../src/statements/sign.js';
import { parseTrustFile, type Trust } from '../../src/statements/trust.js';
import { generateNoteKey, type NoteSigner, type NoteVerifier } from '../../src/tlog/note-key.js';
import { SqliteWitnessStore } from '../../src/store/sqlite/sqlite-witness-store.js';
import { createWitnessServer } from '../../src/log/witness-server.js';
import { KEY_TYPE_COSIGNATURE_V1, withKeyType } from '../../src/tlog/note-key.js';

export const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
export const key = (name: string): NoteSigner =>
  loadPrivateKeyFile(`${EXAMPLES}keys/example-${name}.key`);

/** Who signs each example statement (docs/statements.md, signing rules). */
export const EXAMPLE_SIGNERS = {
  agreement: ['acme-vendor', 'telco-operator'],
  release: ['acme-vendor'],
  access: ['acme-vendor', 'telco-operator'],
  deployment: ['telco-operator'],
  canary: ['acme-vendor'],
  rebuild: ['lab-evaluator'],
} as const;
export type ExampleName = keyof typeof EXAMPLE_SIGNERS;
export const EXAMPLE_NAMES = Object.keys(EXAMPLE_SIGNERS) as ExampleName[];

/** The example statement `name`, signed by `signers` (default: the ones its rules need). */
export function signedExample(
  name: ExampleName,
  signers: readonly string[] = EXAMPLE_SIGNERS[name],
): Envelope {
  const { statement } = loadStatementFile(`${EXAMPLES}statements/${name}.yaml`);
  const [first, ...rest] = signers;
  let envelope = signStatement(statement, key(first ?? 'acme-vendor'));
  for (const other of rest) envelope = addSignature(envelope, key(other));
  return envelope;
}

/** The example trust file's text with this test's log key and witnesses. */
export function trustText(
  logKey: NoteVerifier,
  witnesses: readonly NoteVerifier[] = [],
  quorum = 0,
): string {
  const text = readFileSync(`${EXAMPLES}statements/trust.yaml`, 'utf8');
  const parties = text.slice(0, text.indexOf('\nlog:'));
  const lines = [
    parties,
    'log:',
    `  key: ${logKey.vkey}`,
    'witnesses:',
    `  quorum: ${quorum}`,
    witnesses.length === 0 ? '  keys: []' : '  keys:',
    ...witnesses.map((w) => `    - key: ${w.vkey}`),
    '',
  ];
  return lines.join('\n');
}

export function trustFor(
  logKey: NoteVerifier,
  witnesses: readonly NoteVerifier[] = [],
  quorum = 0,
): Trust {
  return parseTrustFile(trustText(logKey, witnesses, quorum), 'trust.yaml');
}

export function tempDir(prefix = 'nospy-statements-server-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningServer {
  readonly url: string;
  readonly app: LogServer;
  readonly log: OpenLog;
  readonly logKey: NoteSigner;
  readonly trust: Trust;
  /** The trust file written into the data directory's parent. */
  readonly trustFile: string;
  close(): Promise<void>;
}

/** A real nospy server (port 0, SQLite in `dir`) taking statements against `trust`. */
export async function startServer(
  options: {
    dir: string;
    logKey?: NoteSigner;
    /** The witnesses the trust file names (the log's own are `witnesses`, as for openLog). */
    trustWitnesses?: readonly NoteVerifier[];
    trustQuorum?: number;
    statementToken?: string;
    limits?: Partial<ServerLimits>;
    /** The bounded wait for the witness quorum, in ms (none: writers wait for it). */
    witnessWaitMs?: number;
    /** Where the server logs (default: nowhere). */
    logger?: Logger;
    submitToken?: string;
  } & Partial<Omit<OpenLogOptions, 'signer' | 'dataDir'>>,
): Promise<RunningServer> {
  const {
    dir,
    logKey: given,
    trustWitnesses: witnesses,
    trustQuorum,
    statementToken,
    limits,
    witnessWaitMs,
    logger,
    submitToken,
    ...rest
  } = options;
  const logKey = given ?? generateNoteKey('log.example/statements');
  const trust = trustFor(logKey, witnesses ?? [], trustQuorum ?? 0);
  mkdirSync(dir, { recursive: true });
  const trustFile = join(dir, 'trust.yaml');
  writeFileSync(trustFile, trustText(logKey, witnesses ?? [], trustQuorum ?? 0));
  const log = await openLog({ ...rest, dataDir: join(dir, 'data'), signer: logKey });
  const app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: logger ?? pino({ level: 'silent' }),
    submitToken,
    trust,
    statementToken,
    limits,
    blobs: new FsBlobStore({ root: join(dir, 'data', 'blobs') }),
    witnessWait:
      witnessWaitMs === undefined
        ? undefined
        : {
            timeoutMs: witnessWaitMs,
            round: () => log.cosigner.lastRound,
            quorum: log.cosigner.quorum,
          },
    onClose: () => log.close(),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  let closed: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const closing = app.close();
    // A test's own fetch client may still hold a keep-alive connection mid-exchange; the
    // server under test must not wait for it to time out.
    app.server.closeAllConnections();
    await closing;
  };
  return { url, app, log, logKey, trust, trustFile, close: () => (closed ??= close()) };
}

export interface RunningWitness {
  readonly url: string;
  readonly signer: NoteSigner;
  close(): Promise<void>;
}

/** A real witness server following `logKey` (again on `port` with `signer`, to restart one). */
export async function startWitness(
  dir: string,
  logKey: NoteVerifier,
  again?: { readonly signer: NoteSigner; readonly port: number },
): Promise<RunningWitness> {
  const signer =
    again?.signer ?? withKeyType(generateNoteKey('witness.example/w'), KEY_TYPE_COSIGNATURE_V1);
  const store = new SqliteWitnessStore(dir);
  const app = await createWitnessServer({
    signer,
    logs: [logKey],
    store,
    logger: pino({ level: 'silent' }),
    onClose: () => store.close(),
  });
  const url = await app.listen({ port: again?.port ?? 0, host: '127.0.0.1' });
  return { url, signer, close: () => app.close() };
}

export async function postStatement(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/v1/statements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
}
