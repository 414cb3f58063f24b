import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.js';
import { checkNodeVersion } from './main.js';

const cwd = mkdtempSync(join(tmpdir(), 'nospy-cli-'));

describe('the nospy command line', () => {
  it('lists the subcommands and the exit codes in --help, exiting 0', async () => {
    const { code, stdout } = await runCli(['--help'], { cwd });
    expect(code).toBe(0);
    expect(stdout).toContain('Commands:');
    expect(stdout).toContain('config');
    expect(stdout).toMatch(/Exit codes:[\s\S]*1 {2}findings/);
  });

  it('has --help on every level', async () => {
    const { code, stdout } = await runCli(['config', 'show', '--help'], { cwd });
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: nospy config show');
  });

  it('prints the package version for --version', async () => {
    const { code, stdout } = await runCli(['--version'], { cwd });
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  describe('when the command is unknown', () => {
    it('exits 2 and suggests the nearest command', async () => {
      const { code, stderr } = await runCli(['confg'], { cwd });
      expect(code).toBe(2);
      expect(stderr).toContain("unknown command 'confg'");
      expect(stderr).toContain('Did you mean config?');
    });
  });

  describe('when the configuration file has a wrong field', () => {
    it('exits 2 naming file:line:column', async () => {
      const file = join(cwd, 'wrong.yaml');
      writeFileSync(file, 'server:\n  prot: 8080\n');
      const { code, stderr } = await runCli(['--config', file, 'config', 'show'], { cwd });
      expect(code).toBe(2);
      expect(stderr).toContain(`${file}:2:3: unknown field "server.prot"`);
    });
  });

  describe('with --json', () => {
    it('prints only the result document on stdout', async () => {
      const { code, stdout } = await runCli(['config', 'show', '--json'], {
        cwd,
        env: { NOSPY_SERVER_PORT: '9999' },
      });
      expect(code).toBe(0);
      const doc = JSON.parse(stdout) as { config: { server: { port: number } } };
      expect(doc.config.server.port).toBe(9999);
    });

    it('hides the password of a database URL', async () => {
      const { stdout } = await runCli(['config', 'show', '--json'], {
        cwd,
        env: { DATABASE_URL: 'postgres://nospy:hunter2@db/nospy' },
      });
      expect(stdout).not.toContain('hunter2');
      expect(stdout).toContain('postgres://nospy:***@db/nospy');
    });
  });
});

describe('the Node.js version check at start-up', () => {
  it('accepts 20.19 and later', () => {
    expect(() => {
      checkNodeVersion('20.19.0');
    }).not.toThrow();
    expect(() => {
      checkNodeVersion('24.1.0');
    }).not.toThrow();
  });

  it('rejects older versions with CLI_UNSUPPORTED_NODE', () => {
    expect(() => {
      checkNodeVersion('20.18.3');
    }).toThrow(/20\.19 or newer/);
    expect(() => {
      checkNodeVersion('18.20.0');
    }).toThrow(/20\.19 or newer/);
  });
});
