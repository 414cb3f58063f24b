/**
 * The demo world (`nospy demo init`) in a temporary directory, served the way `nospy serve`
 * serves it: the log, the statement and blob APIs, the read API over the check engine's report
 * of `examples/demo/nospy.yaml`, and the built dashboard when there is one.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { loadConfig } from '../../src/config/load.js';
import { buildDemoWorld } from '../../src/demo/world.js';
import { openLog } from '../../src/log/open-log.js';
import { SqliteFindingStore } from '../../src/store/sqlite/sqlite-finding-store.js';
import { engineSnapshotSource, publishedLogState } from '../../src/server/api/report-snapshot.js';
import { DASHBOARD_DIR, hasDashboard } from '../../src/server/dashboard.js';
import { createServer, type LogServer } from '../../src/server/server.js';
import { AccessTokens } from '../../src/server/auth/access-tokens.js';
import { loadTrustFile } from '../../src/statements/files.js';
import { parsePrivateKey } from '../../src/tlog/note-key.js';

const DEMO_CONFIG = fileURLToPath(new URL('../../examples/demo/nospy.yaml', import.meta.url));

export interface DemoServer {
  readonly url: string;
  readonly app: LogServer;
  /** The temporary directory: `nospy.yaml` and the world in `data/`. */
  readonly dir: string;
  /** The log's verifier key. */
  readonly logKey: string;
  readonly submitToken: string;
  close(): Promise<void>;
}

/** Builds the demo world in a fresh temporary directory and serves it on 127.0.0.1, port 0. */
export async function startDemoServer(
  options: {
    /** A tokens file: the read API and dashboard then need a read token. */
    readonly tokensFile?: string;
  } = {},
): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-demo-server-'));
  const data = join(dir, 'data');
  // The shipped config names the world relative to itself (`data/…`).
  copyFileSync(DEMO_CONFIG, join(dir, 'nospy.yaml'));
  await buildDemoWorld(data);
  const loaded = loadConfig({ file: join(dir, 'nospy.yaml'), env: {}, cwd: dir });
  const signer = parsePrivateKey(readFileSync(join(data, 'keys', 'log.key'), 'utf8').trim());
  const log = await openLog({ dataDir: join(data, 'log'), signer });
  const submitToken = 'demo-operator-token';
  const findings = new SqliteFindingStore(join(data, 'log'));
  const app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    submitToken,
    ...(options.tokensFile === undefined
      ? {}
      : { tokens: new AccessTokens({ file: options.tokensFile, submitToken }) }),
    trust: loadTrustFile(join(data, 'trust.yaml')),
    blobs: new FsBlobStore({ root: join(data, 'log', 'blobs') }),
    snapshots: engineSnapshotSource(
      loaded,
      publishedLogState(log.sequencer, signer),
      findings,
      (indexes) => log.store.loggedTimes(indexes),
    ),
    findingStore: findings,
    dashboard: hasDashboard(DASHBOARD_DIR) ? DASHBOARD_DIR : undefined,
    onClose: async () => {
      await findings.close();
      await log.close();
    },
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  let closed: Promise<void> | undefined;
  return {
    url,
    app,
    dir,
    logKey: signer.vkey,
    submitToken,
    close: () =>
      (closed ??= app.close().finally(() => {
        rmSync(dir, { recursive: true, force: true });
      })),
  };
}
