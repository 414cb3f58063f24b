import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import closeWithGrace from 'close-with-grace';
import { LogError } from '../../log/errors.js';
import { createWitnessServer } from '../../log/witness-server.js';
import { openWitnessStore, storeLocationOf } from '../log-store.js';
import { KEY_TYPE_COSIGNATURE_V1, KEY_TYPE_ED25519, withKeyType } from '../../tlog/note-key.js';
import { configFlags } from '../config-flags.js';
import type { CommandContext } from '../context.js';
import { readSigner, readVerifier } from './key-file.js';

interface WitnessServeOptions {
  data?: string;
  store?: string;
  key: string;
  log: string[];
  port?: string;
  host?: string;
}

/** `nospy witness serve`: a c2sp.org/tlog-witness cosigning the logs it is told to follow. */
export function registerWitnessCommands(program: Command, ctx: CommandContext): void {
  const witness = program
    .command('witness')
    .description('run a witness that cosigns logs (c2sp.org/tlog-witness)')
    .helpCommand(false);
  witness
    .command('serve')
    .description('serve POST /add-checkpoint; prints the cosignature verifier key (type 0x04)')
    .option('--data <dir>', 'data directory for the witness state (config: data)')
    .option('--store <url>', 'sqlite:<dir>, a directory, or postgres://… (config: store.url)')
    .requiredOption(
      '--key <file>',
      'the witness private key (PRIVATE+KEY+…, e.g. from nospy keygen)',
    )
    .requiredOption(
      '--log <vkey>',
      'verifier key (or file) of a log to witness; repeatable',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option('--port <port>', 'TCP port (config: server.port, default 8080)')
    .option('--host <host>', 'address to listen on (config: server.host, default 127.0.0.1)')
    .action(async (opts: WitnessServeOptions) => {
      const { config } = ctx.config(configFlags(opts));
      const signer = withKeyType(readSigner(ctx.cwd, opts.key), KEY_TYPE_COSIGNATURE_V1);
      const logs = opts.log.map((spec) => readVerifier(ctx.cwd, spec));
      for (const log of logs) {
        if (log.type !== KEY_TYPE_ED25519) {
          throw new LogError(
            'LOG_USAGE',
            `--log ${log.name}: a log key is an Ed25519 (type 0x01) verifier key`,
          );
        }
      }
      const location = storeLocationOf(config);
      const store = await openWitnessStore(location);
      // Beside the embedded state, for whoever configures the logs that use this witness.
      if (location.kind === 'sqlite') {
        writeFileSync(join(location.dataDir, 'witness.vkey'), `${signer.vkey}\n`);
      }
      const app = await createWitnessServer({
        signer,
        logs,
        store,
        logger: ctx.logger,
        onClose: () => store.close(),
      });
      const url = await app.listen({ port: config.server.port, host: config.server.host });
      ctx.stdout.write(`${signer.vkey}\n${url}\n`);
      ctx.logger.info({ url, vkey: signer.vkey, logs: logs.map((l) => l.name) }, 'witness serving');
      await new Promise<void>((resolve) => {
        closeWithGrace({ delay: 10_000 }, async () => {
          await app.close();
          resolve();
        });
      });
    });
}
