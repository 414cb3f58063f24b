import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { registerFirmwareDiffCommand } from './firmware-diff.js';

/** `nospy firmware scan <image> [--mud <file>] [--json]` and `nospy firmware diff <a> <b>`. */
export function registerFirmwareCommands(program: Command, ctx: CommandContext): void {
  const firmware = program
    .command('firmware')
    .description('inspect firmware images')
    .helpCommand(false);
  firmware
    .command('scan')
    .description(
      'unpack an image (or read an unpacked directory) and report carves, components and back-door indicators;\n' +
        'exit 1 when a credential, key, authorized key, known back-door string, shell listener or\n' +
        '(with --mud or --sbom) an undeclared service or destination is found; exit 2 when part of\n' +
        'the image could not be examined (unless --allow-incomplete)',
    )
    .argument('<image>', 'firmware image file, or a directory holding an unpacked tree')
    .option('--mud <file>', 'MUD file (RFC 8520 JSON) of the release: report what is not declared')
    .option(
      '--sbom <file>',
      "the release's CycloneDX SBOM: its services declare listeners and destinations too",
    )
    .option(
      '--allow-incomplete',
      'exit 0 or 1 on the findings even when part of the image could not be examined',
    )
    .action(
      async (
        image: string,
        options: { mud?: string; sbom?: string; allowIncomplete?: boolean },
      ) => {
        (await import('./firmware-run.js')).runFirmwareScan(ctx, image, options);
      },
    );
  registerFirmwareDiffCommand(firmware, ctx);
}
