import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandOf, loadCommands } from './command-index.js';
import type { CommandContext } from './context.js';
import { buildProgram } from './program.js';

const ctx = { stdout: process.stdout, stderr: process.stderr } as unknown as CommandContext;

describe('the command table', () => {
  it('names every command the registrars build, with the description they give it', async () => {
    const program = buildProgram(ctx, '0', COMMANDS, await loadCommands());
    const built = program.commands.map((c) => [c.name(), c.description()]);
    expect(built).toEqual(COMMANDS.map((c) => [c.name, c.description]));
  });

  it('loads for each command the registrars that build it, whatever else they build', async () => {
    for (const entry of COMMANDS) {
      const program = new Command('nospy');
      for (const register of await entry.load()) register(program, ctx);
      const made = program.commands.find((c) => c.name() === entry.name);
      expect(made?.description(), entry.name).toBe(entry.description);
    }
  });

  it('builds a placeholder for each command it did not load, so help lists them all', () => {
    const program = buildProgram(ctx, '0', COMMANDS, new Map());
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
  });
});

describe('commandOf', () => {
  const name = (argv: string[]) => commandOf(argv)?.name;

  it('finds the first word that is neither an option nor the value of one', () => {
    expect(name(['check', '--json'])).toBe('check');
    expect(name(['--config', 'x.yaml', '--log-level', 'debug', 'policy', 'check'])).toBe('policy');
    expect(name(['-c', 'check', 'log', 'verify'])).toBe('log');
    expect(name(['--json', 'sbom', 'check', 'x.json'])).toBe('sbom');
  });

  it("finds `help <command>`'s command", () => {
    expect(name(['help', 'firmware'])).toBe('firmware');
  });

  it('finds none for help, version, an unknown word or an empty line', () => {
    expect(name(['--help'])).toBeUndefined();
    expect(name(['--version'])).toBeUndefined();
    expect(name(['chek'])).toBeUndefined();
    expect(name([])).toBeUndefined();
    expect(name(['--', 'check'])).toBeUndefined();
  });
});
