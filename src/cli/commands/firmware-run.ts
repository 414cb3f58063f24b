// The work of `nospy firmware`'s commands, loaded only when one of them runs (firmware.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { FirmwareError } from '../../firmware/errors.js';
import { scanFirmware, type FirmwareReport } from '../../firmware/scan.js';
import { printResult, type CommandContext } from '../context.js';

function humanReport(report: FirmwareReport): string {
  const lines = [
    `image ${report.image.sha256 ?? '(directory)'} format=${report.image.format} size=${report.image.size}`,
    `carves: ${report.carves.length}`,
    ...report.carves.map(
      (c) =>
        `  @0x${c.offset.toString(16)} ${c.type} ${c.size} bytes${c.within === undefined ? '' : ` in ${c.within}`}`,
    ),
    `components: ${report.components.length}`,
    ...report.components.map((c) => `  ${c.name} ${c.version}  ${c.path}`),
    `indicators: ${report.indicators.length}`,
    ...report.indicators.map((i) => {
      const at =
        i.line === undefined
          ? i.offset === undefined
            ? ''
            : `@0x${i.offset.toString(16)}`
          : `:${i.line}`;
      const by =
        i.declaredBy === undefined
          ? ''
          : ` (${Object.entries(i.declaredBy)
              .map(([what, yes]) => `${what}: ${yes ? 'declared' : 'not declared'}`)
              .join(', ')})`;
      const declared =
        i.declared === undefined ? '' : `${i.declared ? ' [declared]' : ' [UNDECLARED]'}${by}`;
      return `  ${i.rule} ${i.kind} ${i.path}${at}${declared}\n      ${i.detail}`;
    }),
  ];
  if (report.warnings.length > 0) {
    lines.push(
      `not examined: ${report.warnings.length}`,
      ...report.warnings.map((w) => `  ${w.reason} ${w.where}: ${w.detail}`),
    );
  }
  const partial = `scan incomplete: ${report.warnings.length} part(s) not examined`;
  lines.push(
    report.backdoor
      ? `RESULT: back-door indicators found${report.complete ? '' : ` (${partial})`}`
      : report.complete
        ? 'RESULT: no back-door indicator'
        : `RESULT: incomplete (${partial}); no back-door indicator in the rest`,
  );
  return lines.join('\n');
}

export function runFirmwareScan(
  ctx: CommandContext,
  image: string,
  options: { mud?: string; sbom?: string; allowIncomplete?: boolean },
): void {
  const { config } = ctx.config();
  const report = scanFirmware(image, {
    limits: config.firmware,
    ...(options.mud === undefined ? {} : { mudFile: options.mud }),
    ...(options.sbom === undefined ? {} : { sbomFile: options.sbom }),
  });
  for (const warning of report.warnings)
    ctx.logger.warn(warning, 'part of the image was not unpacked');
  printResult(ctx, report, () => humanReport(report));
  if (!report.complete && options.allowIncomplete !== true) {
    throw new FirmwareError(
      'FIRMWARE_SCAN_INCOMPLETE',
      `${image}: ${report.warnings.length} part(s) of the image were not examined (${[...new Set(report.warnings.map((w) => w.reason))].join(', ')}); the report lists each. Pass --allow-incomplete to accept a partial scan`,
      { where: image },
    );
  }
  if (report.backdoor) ctx.exitCode = 1;
}
