import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** The default demo data directory, next to examples/demo/nospy.yaml which points at it. */
export const DEFAULT_DEMO_DIR = 'examples/demo/data';

export function registerDemoCommands(program: Command, ctx: CommandContext): void {
  const demo = program
    .command('demo')
    .description('the demo world (docs/demo.md)')
    .helpCommand(false);
  demo
    .command('init')
    .description(
      'build the demo world: keys, signed statements in a log, firmware, MUD files, flows, inventory',
    )
    .option('--data <dir>', 'where to build it', DEFAULT_DEMO_DIR)
    .option('--force', 'rebuild even when a complete world is there')
    .action(async (options: { data: string; force?: boolean }) => {
      await (await import('./demo-run.js')).runDemoInit(ctx, options);
    });
}
