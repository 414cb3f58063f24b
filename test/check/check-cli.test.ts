import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { runCli } from '../helpers/run-cli.js';

const TRUST = `parties:
  - { name: Op, role: operator, keys: ["${generateNoteKey('op').vkey}"] }
`;

function world(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-check-'));
  writeFileSync(join(dir, 'nospy.yaml'), config);
  return dir;
}

describe('nospy check', () => {
  describe('when the config names a file that does not exist', () => {
    it('exits 2 naming the file', async () => {
      const dir = world('check:\n  inventory: missing-inventory.yaml\n');
      const result = await runCli(['check', '--config', join(dir, 'nospy.yaml')], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('missing-inventory.yaml');
    });
  });

  describe('with --trust <file>', () => {
    it('reads the trust file from the working directory, over the config file', async () => {
      const dir = world('trust: beside-config.yaml\ncheck:\n  log: no-such-log\n');
      const cwd = join(dir, 'elsewhere');
      mkdirSync(cwd);
      writeFileSync(join(cwd, 'given.yaml'), TRUST);
      const result = await runCli(
        ['check', '--config', join(dir, 'nospy.yaml'), '--trust', 'given.yaml'],
        { cwd },
      );
      // The config's trust file does not exist: the one given was read, and the log is next.
      expect(result.stderr).not.toContain('beside-config.yaml');
      expect(result.stderr).toContain('no-such-log');
      const missing = await runCli(
        ['check', '--config', join(dir, 'nospy.yaml'), '--trust', 'absent.yaml'],
        { cwd },
      );
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain(join(cwd, 'absent.yaml'));
    });
  });

  describe('when the log directory does not exist', () => {
    it('exits 2 saying the log cannot be reached', async () => {
      const dir = world('trust: trust.yaml\ncheck:\n  log: no-such-log\n');
      writeFileSync(join(dir, 'trust.yaml'), TRUST);
      const result = await runCli(['check', '--config', join(dir, 'nospy.yaml')], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('no-such-log');
    });
  });

  describe('when the log data directory is corrupted', () => {
    it('exits 2 naming the database', async () => {
      const dir = world('trust: trust.yaml\ncheck:\n  log: data\n');
      mkdirSync(join(dir, 'data'));
      writeFileSync(join(dir, 'data', 'nospy.db'), 'this is not a database at all'.repeat(200));
      writeFileSync(
        join(dir, 'trust.yaml'),
        `${TRUST}log: { key: "${generateNoteKey('log').vkey}" }\n`,
      );
      const result = await runCli(['check', '--config', join(dir, 'nospy.yaml')], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('nospy.db');
    });
  });

  describe('when the check section has an unknown field', () => {
    it('exits 2 with its file:line:column', async () => {
      const dir = world('check:\n  flowz: []\n');
      const result = await runCli(['check', '--config', join(dir, 'nospy.yaml')], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/nospy\.yaml:2:\d+/);
    });
  });

  describe('when nothing is configured', () => {
    it('prints an empty summary and exits 0', async () => {
      const dir = world('check:\n  date: 2026-06-01\n');
      const result = await runCli(['check', '--config', join(dir, 'nospy.yaml'), '--json'], {
        cwd: dir,
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        evaluatedAt: '2026-06-01T00:00:00.000Z',
        summary: { total: 0 },
      });
    });
  });
});
