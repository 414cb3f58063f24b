/**
 * `nospy check`'s terminal output on the demo world, run as a user runs it: what it says at the
 * top, the findings by vendor and device, the width, the colour, and the next steps.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import type { Report } from '../../src/check/index.js';
import { columns } from '../../src/check/text/layout.js';
import { registerCheckCommands } from '../../src/cli/commands/check.js';
import type { CommandContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { buildProgram } from '../../src/cli/program.js';
import { CapturedStream } from '../helpers/capture.js';
import { markedBlocks } from '../journeys/doc-blocks.js';
import { runCli } from '../helpers/run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The blocks of the docs that show what `nospy check` prints on the demo. */
const SHOWN = [join(ROOT, 'README.md'), join(ROOT, 'docs', 'demo.md')].flatMap((page) =>
  markedBlocks(page, 'check-output', 'text'),
);
const ESC = '\u001b';

/** `nospy <argv>` with stdout a terminal of `columns` columns. */
async function onTerminal(
  argv: readonly string[],
  columns: number,
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string }> {
  const stdout = Object.assign(new CapturedStream(), { isTTY: true, columns });
  const code = await main(argv, { stdout, stderr: new CapturedStream(), env, cwd });
  return { code, stdout: stdout.text };
}

describe('nospy check on the demo world, as text', () => {
  // Laid out as a clone is, so that the paths printed are those the docs show.
  const dir = mkdtempSync(join(tmpdir(), 'nospy-check-text-'));
  const check = ['check', '--config', 'examples/demo/nospy.yaml', '--no-history'];
  let report: Report;
  let text: string;
  let code: number;

  beforeAll(async () => {
    mkdirSync(join(dir, 'examples', 'demo'), { recursive: true });
    copyFileSync(
      join(ROOT, 'examples', 'demo', 'nospy.yaml'),
      join(dir, 'examples', 'demo', 'nospy.yaml'),
    );
    const init = await runCli(['demo', 'init', '--data', 'examples/demo/data'], { cwd: dir });
    expect(init.code).toBe(0);
    const json = await runCli([...check, '--json'], { cwd: dir });
    report = JSON.parse(json.stdout) as Report;
    const run = await runCli([...check, '--html', 'report.html', '--evidence', 'evidence'], {
      cwd: dir,
    });
    text = run.stdout;
    code = run.code;
  });

  it('keeps the exit code: 1, for findings', () => {
    expect(code).toBe(1);
  });

  it('says at the top how many findings of each severity, as of when, and what was checked', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('nospy check: 11 findings (4 critical, 7 high, 0 medium, 0 low, 0 info)');
    expect(lines[1]).toBe('as of        2026-06-01 00:00:00 UTC (the evaluation date)');
    expect(lines[2]).toMatch(/^generated {4}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(text).toContain('checked      log: 19 statements verified against the trust file');
    expect(text).toContain(
      '             rule packs: uk-tsa-huawei-dvd, us-ndaa-889 on the inventory',
    );
    expect(text).toContain('\nnot checked  none\n');
  });

  it('groups the findings by vendor, then by release and device', () => {
    const lines = text.split('\n');
    const body = lines.slice(lines.indexOf('') + 1, lines.indexOf('Next steps'));
    expect(body.filter((l) => /^ {0,2}\S/.test(l))).toEqual([
      'Globex Telecom Systems (9 findings)',
      '  vendor-wide',
      `  release sha256:${report.findings.find((f) => f.kind === 'firmware-backdoor-indicator')?.subject.release?.slice(7, 19) ?? ''}…, run by globex-r1`,
      '  device globex-r1',
      '  device globex-r2',
      'Hangzhou Hikvision Digital Technology Co Ltd (1 finding)',
      '  device cam-hq-1',
      'Huawei Technologies Co Ltd (2 findings)',
      '  devices ran-s01, ran-s02, ran-s03, ran-s04',
    ]);
  });

  it('prints every finding of the report, with the clause or rule it breaks', () => {
    for (const f of report.findings) {
      expect(text, f.id).toContain(`[${f.id}]`);
    }
    expect(text).toContain(
      '    CRITICAL clause firmware-logged-before-deployment: Device globex-r2',
    );
    expect(text).toContain('    HIGH     rule uk-dvd-ran-cap (uk-tsa-huawei-dvd): ');
  });

  it('fits 80 columns in a pipe, with no escape code', () => {
    expect(text).not.toContain(ESC);
    for (const line of text.split('\n')) {
      if (columns(line) > 80) expect(line.trim(), line).not.toContain(' ');
    }
  });

  it('ends with the next steps: the dashboard, and where --evidence and --html wrote', () => {
    const next = text.slice(text.indexOf('\nNext steps\n') + 1).split('\n');
    expect(next.slice(0, 2)).toEqual(['Next steps', '  dashboard  http://127.0.0.1:8080/']);
    expect(next.at(-2)).toBe(`  HTML       wrote ${join(dir, 'report.html')}`);
    // The evidence line wraps where the temporary directory's name puts it.
    expect(next.slice(2, -2).join(' ').replace(/ +/g, ' ')).toBe(
      ` evidence wrote 11 files to ${join(dir, 'evidence')}; each is checked offline by nospy verify --trust examples/demo/data/trust.yaml <file>`,
    );
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(readdirSync(join(dir, 'evidence'))).toHaveLength(11);
  });

  it('is what README.md and docs/demo.md show, but for the time it was generated (… skips lines)', async () => {
    const run = await runCli(check, { cwd: dir });
    const when = (line: string) => line.replace(/^(generated {4}).*$/, '$1<time>');
    const printed = run.stdout.trimEnd().split('\n').map(when);
    expect(SHOWN.length).toBeGreaterThanOrEqual(2);
    for (const block of SHOWN) {
      const where = `${block.file.slice(ROOT.length)}:${block.line}`;
      const shown = block.text.split('\n').map(when);
      if (!shown.some((l) => l.trim() === '…')) {
        expect(shown, where).toEqual(printed);
        continue;
      }
      // Each run of lines between two "…" is printed as it is, in the order shown.
      let from = 0;
      const runs = shown
        .join('\n')
        .split(/\n\s*…\s*(?:\n|$)/)
        .map((r) => r.split('\n'));
      for (const lines of runs) {
        const at = printed.findIndex(
          (_, i) => i >= from && lines.every((l, j) => printed[i + j] === l),
        );
        expect(at, `${where}: ${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
        from = at + lines.length;
      }
    }
  });

  describe('on a terminal', () => {
    it("wraps to the terminal's width and colours the severities", async () => {
      const run = await onTerminal(check, 120, {}, dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`    ${ESC}[1;31mCRITICAL${ESC}[22;39m clause`);
      const plain = run.stdout.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');
      const widest = Math.max(...plain.split('\n').map((l) => columns(l)));
      expect(widest).toBeGreaterThan(100);
      expect(widest).toBeLessThanOrEqual(120);
    });

    it('does not colour with NO_COLOR', async () => {
      const run = await onTerminal(check, 120, { NO_COLOR: '1' }, dir);
      expect(run.stdout).not.toContain(ESC);
    });

    it('does not colour with FORCE_COLOR=0', async () => {
      const run = await onTerminal(check, 120, { FORCE_COLOR: '0' }, dir);
      expect(run.stdout).not.toContain(ESC);
    });
  });

  it('colours in a pipe with FORCE_COLOR=1', async () => {
    const run = await runCli(check, { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(run.stdout).toContain(`${ESC}[31mHIGH${ESC}[39m`);
  });

  it('leaves --json as it was: only the report, no text and no colour', async () => {
    const run = await runCli([...check, '--json'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(run.stdout).not.toContain(ESC);
    expect((JSON.parse(run.stdout) as Report).findings.map((f) => f.id)).toEqual(
      report.findings.map((f) => f.id),
    );
  });
});

describe('nospy check --help', () => {
  it('describes every option of the command and of the program', async () => {
    const ctx = { stdout: process.stdout, stderr: process.stderr } as unknown as CommandContext;
    const program = buildProgram(ctx, '0', [], new Map());
    registerCheckCommands(program, ctx);
    const command = program.commands.find((c) => c.name() === 'check') ?? new Command();
    const help = await runCli(['check', '--help']);
    expect(help.code).toBe(0);
    for (const option of [...program.options, ...command.options]) {
      expect(option.description, option.flags).not.toBe('');
      expect(help.stdout, option.flags).toContain(`${option.flags}  `);
    }
    expect(help.stdout).toContain('--config <file>');
    expect(help.stdout).toContain('NO_COLOR');
    expect(help.stdout).toContain('FORCE_COLOR');
    expect(help.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*findings\n {2}2 /);
  });
});
