/**
 * The server under soak, in its own process so that its resident memory is its own: a real log
 * (SQLite in a temporary directory), the statement API against the example trust file, the read
 * API over a fixed snapshot, default limits. Prints its URL, then serves until SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { openLog } from '../../src/log/open-log.js';
import { createServer } from '../../src/server/server.js';
import { loadTrustFile } from '../../src/statements/files.js';
import { parsePrivateKey, parseVerifierKey } from '../../src/tlog/note-key.js';
import { FixedSnapshotSource } from '../../test/server-api/fixed-snapshot-source.js';

const [logKeyText] = process.argv.slice(2);
if (logKeyText === undefined) throw new Error('usage: server.ts <log private key>');
const signer = parsePrivateKey(logKeyText);
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const trust = loadTrustFile(`${examples}statements/trust.yaml`);
const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-soak-'));
const log = await openLog({ dataDir: dir, signer });
const app = createServer({
  log: log.sequencer,
  store: log.store,
  logger: pino({ level: 'silent' }),
  trust: { ...trust, log: { origin: undefined, key: parseVerifierKey(signer.vkey) } },
  submitToken: 'soak',
  snapshots: new FixedSnapshotSource(),
  onClose: () => log.close(),
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${url}\n`);
process.once('SIGTERM', () => {
  app.server.closeAllConnections();
  void app.close().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
