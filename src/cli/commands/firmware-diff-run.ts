// The work of `nospy firmware diff`'s commands, loaded only when one of them runs (firmware-diff.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { diffFirmware } from '../../firmware/diff/diff.js';
import { renderDiff } from '../../firmware/diff/render.js';
import { formatDiffReport } from '../../firmware/diff/report.js';
import type { CommandContext } from '../context.js';

export function runFirmwareDiff(ctx: CommandContext, a: string, b: string): void {
  const { config } = ctx.config();
  const outcome = diffFirmware(a, b, { limits: config.firmware });
  // The JSON is the diff report byte for byte as a rebuild statement names it by digest.
  if (ctx.json) ctx.stdout.write(formatDiffReport(outcome.report));
  else ctx.stdout.write(`${renderDiff(outcome)}\n`);
  if (!outcome.report.equivalent) ctx.exitCode = 1;
}
