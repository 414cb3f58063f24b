/**
 * `npm start`: builds the demo world when it is absent, starts the demo's witness, then serves
 * the world with the unified `nospy serve` (log, statements, blobs, read API, dashboard) on
 * http://localhost:8080, its checkpoints cosigned by that witness (quorum 1) as during the build.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { main } from '../cli/main.js';
import {
  KEY_TYPE_COSIGNATURE_V1,
  parsePrivateKey,
  parseVerifierKey,
  withKeyType,
} from '../tlog/note-key.js';
import { startDemoWitness } from './witness.js';
import { buildDemoWorld } from './world.js';

const dir = resolve(process.env['NOSPY_DEMO_DATA'] ?? 'examples/demo/data');
// One name for the port, the one `nospy serve` documents (docs/log.md): NOSPY_SERVER_PORT.
const port = process.env['NOSPY_SERVER_PORT'] ?? '8080';
if (process.env['PORT'] !== undefined && process.env['NOSPY_SERVER_PORT'] === undefined) {
  process.stderr.write(
    `npm start: PORT is not read; set NOSPY_SERVER_PORT=${process.env['PORT']} to serve on that port\n`,
  );
}
const { built } = await buildDemoWorld(dir);
const key = (name: string) => readFileSync(join(dir, 'keys', name), 'utf8').trim();
const witnessKey = withKeyType(parsePrivateKey(key('witness.key')), KEY_TYPE_COSIGNATURE_V1);
const witness = await startDemoWitness(
  join(dir, 'witness'),
  witnessKey,
  parseVerifierKey(key('log.vkey')),
  pino({ level: 'warn' }),
);
process.stdout.write(
  `${built ? 'built' : 'using'} the demo world in ${dir}\nnospy demo: http://localhost:${port}\n`,
);
try {
  process.exitCode = await main([
    '--config',
    resolve('examples/demo/nospy.yaml'),
    'serve',
    '--data',
    join(dir, 'log'),
    '--log-key',
    join(dir, 'keys', 'log.key'),
    '--trust',
    join(dir, 'trust.yaml'),
    '--witness',
    `${witnessKey.vkey}=${witness.url}`,
    '--witness-quorum',
    '1',
    '--port',
    port,
  ]);
} finally {
  await witness.close();
}
