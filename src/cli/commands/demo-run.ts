// The work of `nospy demo`'s commands, loaded only when one of them runs (demo.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { resolve } from 'node:path';
import { buildDemoWorld } from '../../demo/world.js';
import { printResult, type CommandContext } from '../context.js';

export async function runDemoInit(
  ctx: CommandContext,
  options: { data: string; force?: boolean },
): Promise<void> {
  const dir = resolve(ctx.cwd, options.data);
  const { built } = await buildDemoWorld(dir, { force: options.force === true });
  printResult(ctx, { dir, built }, () =>
    built
      ? `built the demo world in ${dir}`
      : `the demo world in ${dir} is complete; nothing to do (--force rebuilds it)`,
  );
}
