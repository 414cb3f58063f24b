// The work of `nospy mud`'s commands, loaded only when one of them runs (mud.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { readFlowFile } from '../../flows/flow-file.js';
import { BehaviourCheck, type BehaviourFinding } from '../../mud/behaviour.js';
import { compileMud } from '../../mud/compile.js';
import { loadDeviceMap, loadGrants, loadMudContext, loadMudFile } from '../../mud/load.js';
import type { MudMatcher } from '../../mud/matcher.js';
import { formatVerdict, verdictFor } from '../../mud/verdicts.js';
import type { CommandContext } from '../context.js';

/** Verdicts are written in chunks of about this many characters. */
const OUTPUT_CHUNK = 64 * 1024;

/** Writes and waits for 'drain' when the reader is slower, so memory stays bounded on big flow files. */
async function writeWithBackPressure(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (text === '' || out.write(text)) return;
  await new Promise<void>((resolve) => out.once('drain', resolve));
}

function reportDeviations(ctx: CommandContext, source: string, matcher: MudMatcher): void {
  for (const d of matcher.deviations) {
    ctx.stderr.write(`${source}: deviation ${d.kind} at ${d.path}: ${d.message}\n`);
  }
  for (const n of matcher.notes) {
    ctx.stderr.write(`${source}: note${n.rule === '' ? '' : ` ${n.rule}`}: ${n.message}\n`);
  }
}

function formatFinding(f: BehaviourFinding): string {
  const when = `${new Date(f.first).toISOString()}..${new Date(f.last).toISOString()}`;
  return `${f.device}\t${f.kind}\t${f.remote}\tport ${f.port}\tproto ${f.proto}\t${when}\t${f.records} records\t${f.bytes} bytes\tservice at ${f.side} (${f.inferred})`;
}

export async function runMudCheck(
  ctx: CommandContext,
  opts: { mud: string; context: string; flows: string },
): Promise<void> {
  const matcher = compileMud(loadMudFile(opts.mud), loadMudContext(opts.context));
  reportDeviations(ctx, opts.mud, matcher);
  const counts = { allowed: 0, violation: 0, error: 0 };
  let chunk = '';
  for await (const { record, line } of readFlowFile(opts.flows)) {
    const verdict = verdictFor(matcher, record, line);
    counts[verdict.verdict] += 1;
    chunk += `${ctx.json ? JSON.stringify(verdict) : formatVerdict(verdict)}\n`;
    if (chunk.length >= OUTPUT_CHUNK) {
      await writeWithBackPressure(ctx.stdout, chunk);
      chunk = '';
    }
  }
  await writeWithBackPressure(ctx.stdout, chunk);
  ctx.stderr.write(
    `mud check: ${counts.allowed} allowed, ${counts.violation} violations, ${counts.error} records not of the device\n`,
  );
  if (counts.violation > 0 || counts.error > 0) ctx.exitCode = 1;
}

export async function runFlowsCheck(
  ctx: CommandContext,
  opts: { devices: string; flows: string; grants?: string },
): Promise<void> {
  const devices = loadDeviceMap(opts.devices);
  const grants = opts.grants === undefined ? [] : loadGrants(opts.grants);
  for (const device of devices) reportDeviations(ctx, device.id, device.matcher);
  const check = new BehaviourCheck({ devices, grants });
  for await (const { record } of readFlowFile(opts.flows)) check.add(record);
  const report = check.report();
  if (ctx.json) {
    ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const finding of report.findings) ctx.stdout.write(`${formatFinding(finding)}\n`);
    ctx.stdout.write(
      `${report.records} records, ${report.legs} device legs: ${report.allowedLegs} allowed, ${report.grantedLegs} under a grant, ${report.findings.length} findings; ${report.unattributed} records touch no known device${report.overflow > 0 ? `; ${report.overflow} violating legs beyond the findings limit` : ''}\n`,
    );
  }
  if (report.findings.length > 0) ctx.exitCode = 1;
}
