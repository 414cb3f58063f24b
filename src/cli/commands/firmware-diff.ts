import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** `nospy firmware diff <a> <b> [--json]`: exit 0 equivalent, 1 not, 2 unreadable or incomplete. */
export function registerFirmwareDiffCommand(firmware: Command, ctx: CommandContext): void {
  firmware
    .command('diff')
    .description(
      'compare two images (or unpacked directories) file by file through the scan unpackers:\n' +
        'added, removed and changed files with their digests and why they differ (timestamps,\n' +
        'order, ownership, build ids, embedded paths, content), ELF sections, and back-door\n' +
        'indicators found in one only; exit 0 when equivalent (no file added, removed or changed\n' +
        'in content), 1 when not',
    )
    .argument('<a>', 'firmware image file or unpacked directory (e.g. the rebuild from source)')
    .argument('<b>', 'the image to compare it with (e.g. the released image)')
    .action(async (a: string, b: string) => {
      (await import('./firmware-diff-run.js')).runFirmwareDiff(ctx, a, b);
    });
}
