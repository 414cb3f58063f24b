import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openLog } from '../../src/log/open-log.js';
import { createServer } from '../../src/server/server.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { loadTrustFile } from '../../src/statements/files.js';
const trust = loadTrustFile('examples/statements/trust.yaml');
const dir = mkdtempSync(join(tmpdir(), 'pub-'));
const logKey = generateNoteKey('bench.example/log');
const log = await openLog({ dataDir: dir, signer: logKey });
const app = createServer({
  log: log.sequencer,
  store: log.store,
  logger: pino({ level: 'silent' }),
  trust: { ...trust, log: { origin: undefined, key: logKey } },
  submitToken: 'bench',
  onClose: () => log.close(),
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    'bench/statements/publisher.ts',
    url,
    process.env.CONC ?? '32',
    process.env.SECS ?? '6',
    process.env.COUNT ?? '3000',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let out = '';
child.stdout.on('data', (d: Buffer) => (out += d.toString()));
await new Promise((r) => child.on('exit', r));
console.log(out.trim(), 'size', log.sequencer.checkpoint.size);
await app.close();
