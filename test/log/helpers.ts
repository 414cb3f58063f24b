import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { generateNoteKey, type NoteSigner } from '../../src/tlog/note-key.js';
import { openLog, type OpenLog, type OpenLogOptions } from '../../src/log/open-log.js';
import { createServer, type LogServer } from '../../src/server/server.js';
import type { ServerLimits } from '../../src/server/limits/server-limits.js';

export const TOKEN = 'test-submit-token';

export function tempDir(prefix = 'nospy-log-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningLog {
  readonly url: string;
  readonly app: LogServer;
  readonly log: OpenLog;
  readonly key: NoteSigner;
  readonly dir: string;
  close(): Promise<void>;
}

/** A real log server on 127.0.0.1, port 0, over a SQLite store in `dir`. */
export async function startLog(
  options: {
    dir: string;
    key?: NoteSigner;
    submitToken?: string | undefined;
    limits?: Partial<ServerLimits> | undefined;
  } & Partial<Omit<OpenLogOptions, 'signer' | 'dataDir'>>,
): Promise<RunningLog> {
  const key = options.key ?? generateNoteKey('log.example/test');
  const { dir, submitToken, limits, ...rest } = options;
  const log = await openLog({ ...rest, dataDir: dir, signer: key });
  const app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    submitToken: 'submitToken' in options ? submitToken : TOKEN,
    // Many concurrent writers from this one test process: the per-client limit is tested apart.
    limits: { writesPerClient: 1_024, ...limits },
    onClose: () => log.close(),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  let closed: Promise<void> | undefined;
  return {
    url,
    app,
    log,
    key,
    dir,
    close: () => (closed ??= app.close()),
  };
}

export async function add(
  url: string,
  entry: Uint8Array | string,
  token = TOKEN,
): Promise<Response> {
  return fetch(`${url}/add`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: typeof entry === 'string' ? entry : Buffer.from(entry),
  });
}

export async function checkpointOf(url: string): Promise<string> {
  const response = await fetch(`${url}/checkpoint`);
  return response.text();
}
