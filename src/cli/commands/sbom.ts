import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export function registerSbomCommands(program: Command, ctx: CommandContext): void {
  const sbom = program.command('sbom').description('read and check SBOMs').helpCommand(false);
  sbom
    .command('check')
    .description(
      'validate a CycloneDX (1.2–1.6) or SPDX 2.3 JSON SBOM against its schema, list its components ' +
        'and deviations, and with --osv the components that known vulnerabilities affect',
    )
    .argument('<sbom>', 'the SBOM file (JSON)')
    .option('--osv <dir|zip...>', 'OSV data: directories of JSON/YAML records or all.zip files')
    .addHelpText(
      'after',
      '\nExit: 1 when the SBOM breaks its schema or a component is vulnerable; 2 when unreadable.',
    )
    .action(async (file: string, opts: { osv?: string[] }) => {
      (await import('./sbom-run.js')).runSbomCheck(ctx, file, opts);
    });

  const osv = program
    .command('osv')
    .description('query OSV vulnerability data offline')
    .helpCommand(false);
  osv
    .command('query')
    .description('list the advisories in the OSV data that affect one package version')
    .requiredOption(
      '--osv <dir|zip...>',
      'OSV data: directories of JSON/YAML records or all.zip files',
    )
    .option(
      '--purl <purl>',
      'the package as a purl with a version, e.g. pkg:deb/ubuntu/busybox@1:1.30.1-4ubuntu6.3?distro=focal',
    )
    .option('--ecosystem <ecosystem>', 'OSV ecosystem, e.g. Ubuntu:20.04:LTS, Debian:12, PyPI')
    .option('--name <name>', 'package name in that ecosystem')
    .option('--version <version>', 'package version')
    .addHelpText(
      'after',
      '\nExit: 1 when an advisory affects the package; 2 for unreadable data or a bad query.',
    )
    .action(
      async (opts: {
        osv: string[];
        purl?: string;
        ecosystem?: string;
        name?: string;
        version?: string;
      }) => {
        (await import('./sbom-run.js')).runSbomQuery(ctx, opts);
      },
    );
}
