import type { Command } from 'commander';
import { readFlowFile } from '../../flows/flow-file.js';
import { BehaviourCheck, type BehaviourFinding } from '../../mud/behaviour.js';
import { compileMud } from '../../mud/compile.js';
import { loadDeviceMap, loadGrants, loadMudContext, loadMudFile } from '../../mud/load.js';
import type { MudMatcher } from '../../mud/matcher.js';
import { formatVerdict, verdictFor } from '../../mud/verdicts.js';
import type { CommandContext } from '../context.js';

/** `nospy mud check`: one verdict per flow record against one device's MUD file. */
export function registerMudCommands(program: Command, ctx: CommandContext): void {
  const mud = program
    .command('mud')
    .description('judge flow records against MUD files (RFC 8520)')
    .helpCommand(false);
  mud
    .command('check')
    .description(
      'one verdict per record (input order): direction, allowed|violation, deciding rule; exit 1 on any violation or record not of the device',
    )
    .requiredOption('--mud <file.json>', 'the MUD file of the device')
    .requiredOption(
      '--context <ctx.yaml>',
      'operator context: device, local networks, DNS, controllers, peers',
    )
    .requiredOption(
      '--flows <file>',
      'flow records, CSV or NDJSON (the `nospy flows decode` columns)',
    )
    .action(async (opts: { mud: string; context: string; flows: string }) => {
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
    });
}

/**
 * `nospy flows check`: the behaviour check over many devices. Registered under the `flows`
 * command, which it creates only when no other registrar has.
 */
export function registerFlowCheckCommand(program: Command, ctx: CommandContext): void {
  const flows =
    program.commands.find((c) => c.name() === 'flows') ??
    program.command('flows').description('flow records').helpCommand(false);
  flows
    .command('check')
    .description(
      'judge every record against the MUD file of the device it touches; findings are undeclared traffic and unapproved management access; exit 1 on any',
    )
    .requiredOption('--devices <map.yaml>', 'device map: id, addresses, mud file, context')
    .requiredOption('--flows <file>', 'flow records, CSV or NDJSON')
    .option('--grants <file>', 'access grants: devices, sources, ports, time window')
    .action(async (opts: { devices: string; flows: string; grants?: string }) => {
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
    });
}

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
