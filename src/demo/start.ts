/**
 * `npm start`: builds the demo world when it is absent, then serves it with the unified
 * `nospy serve` (log, statements, read API, dashboard) on http://localhost:8080.
 */
import { join, resolve } from 'node:path';
import { main } from '../cli/main.js';
import { buildDemoWorld } from './world.js';

const dir = resolve(process.env['NOSPY_DEMO_DATA'] ?? 'examples/demo/data');
const port = process.env['PORT'] ?? '8080';
const { built } = await buildDemoWorld(dir);
process.stdout.write(
  `${built ? 'built' : 'using'} the demo world in ${dir}\nnospy demo: http://localhost:${port}\n`,
);
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
  '--port',
  port,
]);
