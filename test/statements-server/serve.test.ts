import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { EXAMPLES, tempDir } from './helpers.js';

const temp = tempDir();
afterAll(() => {
  temp.remove();
});

describe('nospy serve --trust', () => {
  it('refuses to start with a trust file that does not parse, naming its line (exit 2)', async () => {
    const trust = join(temp.dir, 'trust.yaml');
    writeFileSync(trust, 'parties:\n  - name: acme\n    role: king\n    keys: []\n');
    const run = await runCli([
      'serve',
      '--data',
      join(temp.dir, 'data'),
      '--log-key',
      `${EXAMPLES}keys/example-log.key`,
      '--port',
      '0',
      '--trust',
      trust,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/trust\.yaml:3:\d+: parties\[0\]\.role/);
  });
});

describe('nospy serve --config', () => {
  it('reads the configuration file given after the command (a bad one stops the start naming it)', async () => {
    const config = join(temp.dir, 'elsewhere.yaml');
    writeFileSync(config, 'check:\n  flows: 7\n');
    const run = await runCli([
      'serve',
      '--config',
      config,
      '--data',
      join(temp.dir, 'data-config'),
      '--log-key',
      `${EXAMPLES}keys/example-log.key`,
      '--port',
      '0',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('elsewhere.yaml:2:');
  });
});
