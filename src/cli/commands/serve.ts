import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { ServeOptions } from './serve-run.js';

/** `nospy serve`: runs the log (sequencer + tlog-tiles HTTP API) until SIGINT/SIGTERM. */
export function registerServeCommands(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('run the transparency log: tlog-tiles read API, POST /add, GET /proof/<index>')
    .addHelpText(
      'after',
      '\nConfiguration: --config <file> (or NOSPY_CONFIG, or ./nospy.yaml) names what the read API and dashboard check (its check: section); without one they answer "checked": false, "not configured".',
    )
    .option('--data <dir>', 'data directory holding nospy.db (config: data)')
    .option(
      '--store <url>',
      'where the log is stored: sqlite:<dir>, a directory, or postgres://… (config: store.url, DATABASE_URL; default: --data)',
    )
    .requiredOption(
      '--log-key <file>',
      'the log private key (PRIVATE+KEY+…); its name is the origin',
    )
    .option('--port <port>', 'TCP port (config: server.port, default 8080)')
    .option('--host <host>', 'address to listen on (config: server.host, default 127.0.0.1)')
    .option('--submit-token <token>', 'bearer token for POST /add (or NOSPY_SUBMIT_TOKEN)')
    .option(
      '--tokens <file>',
      'tokens file (nospy token add): the read API and dashboard then need a read token (config: server.tokens)',
    )
    .option(
      '--witness <vkey>=<url>',
      'a witness: cosignature verifier key (or file) and submission URL; repeatable',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option('--witness-quorum <n>', 'witnesses that must cosign before an entry is acknowledged')
    .option(
      '--witness-wait <seconds>',
      'seconds a writer waits for the witness quorum before it is answered 503 with Retry-After (default 10)',
    )
    .option('--trust <file>', 'trust file for POST /v1/statements (config: trust)')
    .option(
      '--statement-token <token>',
      'also require this bearer token on POST /v1/statements (or NOSPY_STATEMENT_TOKEN)',
    )
    .option(
      '--read-only-recovery',
      'serve reads even when the audit of the stored log fails; refuse every write (to copy out what is intact)',
    )
    .option(
      '--full-audit-hours <n>',
      'hours between full background audits of the stored log (config: log.fullAuditHours, default 24; 0: never)',
    )
    .action(async (opts: ServeOptions) => {
      // The server, the stores and their drivers load only when the log is served.
      await (await import('./serve-run.js')).runServe(ctx, opts);
    });
}
