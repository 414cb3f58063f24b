// The work of `nospy witness`'s commands, loaded only when one of them runs (witness.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import closeWithGrace from 'close-with-grace';
import { LogError } from '../../log/errors.js';
import { createWitnessServer } from '../../log/witness-server.js';
import { openWitnessStore, storeLocationOf } from '../log-store.js';
import { KEY_TYPE_COSIGNATURE_V1, KEY_TYPE_ED25519, withKeyType } from '../../tlog/note-key.js';
import { configFlags } from '../config-flags.js';
import type { CommandContext } from '../context.js';
import { readSigner, readVerifier } from './key-file.js';

export interface WitnessServeOptions {
  data?: string;
  store?: string;
  key: string;
  log: string[];
  port?: string;
  host?: string;
}

export async function runWitnessServe(
  ctx: CommandContext,
  opts: WitnessServeOptions,
): Promise<void> {
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
}
