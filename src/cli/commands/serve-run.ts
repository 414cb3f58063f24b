// The work of `nospy serve`, loaded only when the command runs (serve.ts registers it): help and
// the other commands do not pay for the server, the stores and their drivers.
import closeWithGrace from 'close-with-grace';
import { openServedLog } from '../served-log.js';
import { LogError } from '../../log/errors.js';
import type { WitnessEndpoint } from '../../log/cosigner.js';
import { createServer } from '../../server/server.js';
import { engineSnapshotSource, publishedLogState } from '../../server/api/report-snapshot.js';
import { DASHBOARD_DIR, hasDashboard } from '../../server/dashboard.js';
import { loadTrustFile } from '../../statements/files.js';
import { resolve } from 'node:path';
import { KEY_TYPE_COSIGNATURE_V1 } from '../../tlog/note-key.js';
import { configFlags, toInt } from '../config-flags.js';
import type { CommandContext } from '../context.js';
import { readSigner, readVerifier } from './key-file.js';
import { WriteGate } from '../../log/store-audit/write-gate.js';
import { StoreAuditor } from '../../log/store-audit/store-auditor.js';
import { openFindingStore, openLogStores, storeLocationOf } from '../log-store.js';
import { whereOf } from '../../log/verify/log-source.js';
import { AccessTokens } from '../../server/auth/access-tokens.js';
import { DEFAULT_WITNESS_WAIT_MS } from '../../server/routes/witness-wait.js';
import { notCheckedReason } from '../../config/check-configured.js';

export interface ServeOptions {
  data?: string;
  store?: string;
  logKey: string;
  port?: string;
  host?: string;
  submitToken?: string;
  witness: string[];
  witnessQuorum?: string;
  trust?: string;
  statementToken?: string;
  readOnlyRecovery?: boolean;
  fullAuditHours?: string;
  tokens?: string;
  witnessWait?: string;
}

/** `nospy serve`'s work, loaded when the command runs: the HTTP server and the stores are heavy. */
export async function runServe(ctx: CommandContext, opts: ServeOptions): Promise<void> {
  const loaded = ctx.config(configFlags(opts));
  const { config } = loaded;
  // Loaded once, before the log opens: a bad trust file stops the start with its line.
  const trust =
    config.trust === undefined ? undefined : loadTrustFile(resolve(ctx.cwd, config.trust));
  const signer = readSigner(ctx.cwd, opts.logKey);
  const witnesses = opts.witness.map((spec) => parseWitness(ctx.cwd, spec));
  const quorum =
    opts.witnessQuorum === undefined ? 0 : toInt('--witness-quorum', opts.witnessQuorum);
  if (quorum > witnesses.length) {
    throw new LogError(
      'LOG_USAGE',
      `--witness-quorum ${quorum} needs at least that many --witness options (got ${witnesses.length})`,
    );
  }
  const submitToken = opts.submitToken ?? nonEmpty(ctx.env.NOSPY_SUBMIT_TOKEN);
  const tokensFile = opts.tokens ?? config.server.tokens;
  // The operator's findings, devices and traffic are not for whoever reaches the port.
  if (tokensFile === undefined && !isLoopback(config.server.host)) {
    throw new LogError(
      'LOG_USAGE',
      `refusing to serve the read API and dashboard on ${config.server.host} without read tokens: give --tokens <file> (nospy token add --scope read --tokens <file>), or listen on 127.0.0.1`,
      { where: '--host' },
    );
  }
  // Read now: a broken tokens file stops the start with its line.
  const tokens = new AccessTokens({
    file: tokensFile === undefined ? undefined : resolve(ctx.cwd, tokensFile),
    submitToken,
    logger: ctx.logger,
  });
  // Nothing is signed until the audit of the stored log passes (never, in recovery mode).
  const gate = new WriteGate(opts.readOnlyRecovery === true ? 'read-only' : 'audit');
  const stores = await openLogStores(storeLocationOf(config));
  const served = await openServedLog(stores, {
    signer,
    logger: ctx.logger,
    witnesses,
    witnessQuorum: quorum,
    maxBatchEntries: config.log.batchEntries,
    maxBatchDelayMs: config.log.batchDelayMs,
    maxQueuedEntries: config.log.queueEntries,
    writeGate: gate,
  }).catch(async (error: unknown) => {
    await stores.close();
    throw error;
  });
  // Finding history and triage, in the same store as the CLI's `nospy check` records.
  const findingStore = await openFindingStore(stores.location).catch(async (error: unknown) => {
    await served.close();
    await stores.close();
    throw error;
  });
  const auditor = new StoreAuditor({
    dataDir: stores.name,
    signer,
    gate,
    watermarks: stores.watermarks,
    openSource: stores.openAuditSource,
    logger: ctx.logger,
    fullAuditEveryMs: config.log.fullAuditHours * 3_600_000,
  });
  const app = createServer({
    log: served.log,
    store: served.store,
    logger: ctx.logger,
    submitToken,
    tokens,
    trust,
    statementToken: opts.statementToken ?? nonEmpty(ctx.env.NOSPY_STATEMENT_TOKEN),
    blobs: stores.blobs,
    // The read API: the check engine's report over this config, recomputed when the log grows.
    snapshots: engineSnapshotSource(
      loaded,
      publishedLogState(served.log, signer),
      findingStore,
      (indexes) => served.store.loggedTimes(indexes),
    ),
    findingStore,
    dashboard: hasDashboard(DASHBOARD_DIR) ? DASHBOARD_DIR : undefined,
    limits: config.server,
    witnessWait:
      witnesses.length === 0
        ? undefined
        : {
            timeoutMs:
              opts.witnessWait === undefined
                ? DEFAULT_WITNESS_WAIT_MS
                : toInt('--witness-wait', opts.witnessWait) * 1000,
            round: () => served.round(),
            quorum,
          },
    onClose: async () => {
      await auditor.stop();
      await findingStore.close();
      await served.close();
      await stores.close();
    },
  });
  const notChecked = notCheckedReason(config, loaded.file);
  if (notChecked !== undefined) {
    // The read API and dashboard say so too ("checked": false): never an empty all-clear.
    ctx.logger.warn({ reason: notChecked }, 'the read API and dashboard check nothing');
    ctx.stderr.write(`nospy serve: ${notChecked}\n`);
  } else if (loaded.file !== undefined) {
    ctx.logger.info({ config: loaded.file }, 'checking what the configuration names');
  }
  if (trust === undefined) {
    ctx.logger.warn('no --trust or config trust: POST /v1/statements refuses every statement');
  }
  if (submitToken === undefined) {
    ctx.logger.warn('no --submit-token or NOSPY_SUBMIT_TOKEN: POST /add refuses every submission');
  }
  const url = await app.listen({ port: config.server.port, host: config.server.host });
  ctx.stdout.write(`${url}\n`);
  ctx.logger.info(
    { url, origin: signer.name, vkey: signer.vkey, size: served.log.checkpoint.size },
    'log serving reads; auditing the stored log before taking writes',
  );
  let audit;
  try {
    audit = await auditor.start();
  } catch (error) {
    await app.close();
    throw error;
  }
  if (!audit.ok && opts.readOnlyRecovery !== true) {
    await app.close();
    throw new LogError(
      'LOG_STATE_INVALID',
      `refusing to serve a log whose store does not verify: ${audit.message ?? ''} (to serve its reads and refuse writes, start it with --read-only-recovery)`,
      audit.failed === undefined ? {} : { where: whereOf(audit.failed) },
    );
  }
  ctx.logger.info(
    { ...audit, writes: served.log.ready },
    audit.ok
      ? served.log.ready
        ? 'audit passed: taking writes'
        : 'audit passed; read-only recovery: refusing writes'
      : 'read-only recovery: the store does not verify; serving reads, refusing writes',
  );
  // SIGINT/SIGTERM: stop accepting, let in-flight appends finish, sequence what is queued
  // (the final checkpoint), close the store; close-with-grace then exits.
  // Tokens are added and revoked without a restart: the file is watched, and SIGHUP re-reads it.
  const unwatch = tokens.watch();
  const onHangup = (): void => {
    tokens.reload();
  };
  process.on('SIGHUP', onHangup);
  await new Promise<void>((resolve) => {
    // SIGHUP re-reads the tokens file (above); it does not stop the server.
    closeWithGrace({ delay: 30_000, skip: ['SIGHUP'] }, async ({ signal, err }) => {
      if (err !== undefined) ctx.logger.error({ err }, 'closing after an error');
      else ctx.logger.info({ signal }, 'closing: finishing in-flight appends');
      unwatch();
      process.off('SIGHUP', onHangup);
      await app.close();
      ctx.logger.info({ size: served.log.checkpoint.size }, 'closed; final checkpoint signed');
      resolve();
    });
  });
}

/** `<vkey>=<url>`: the verifier key has no `=` before the URL's scheme. */
function parseWitness(cwd: string, spec: string): WitnessEndpoint {
  const match = /^(.+?)=(https?:\/\/.+)$/.exec(spec);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new LogError('LOG_USAGE', `--witness ${spec}: expected <verifier key>=<http(s) URL>`, {
      where: spec,
    });
  }
  const verifier = readVerifier(cwd, match[1]);
  if (verifier.type !== KEY_TYPE_COSIGNATURE_V1) {
    throw new LogError(
      'LOG_USAGE',
      `--witness ${verifier.name}: a witness key must be a cosignature/v1 (type 0x04) verifier key, as "nospy witness serve" prints`,
      { where: spec },
    );
  }
  return { verifier, url: match[2] };
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
