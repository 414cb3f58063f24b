/**
 * The schema of `nospy.yaml`. Objects are strict: a misspelt or unknown field is an error, not
 * something silently ignored. Every leaf can also be set from the environment as
 * `NOSPY_<SECTION>_<FIELD>` (see env.ts), and from a command's flags.
 */
import { z } from 'zod';
import { LOG_LEVELS } from './log-levels.js';
import { storeUrlProblem } from '../store/store-url.js';

export { LOG_LEVELS };

export const loggingSchema = z
  .strictObject({
    level: z.enum(LOG_LEVELS).default('info'),
    pretty: z.boolean().default(false),
  })
  .prefault({});

export const serverSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /**
     * The tokens file (`nospy token add`): with it, the read API and the dashboard need a token;
     * without it, `nospy serve` binds a loopback address only (docs/security.md).
     */
    tokens: z.string().min(1).optional(),
    // Limits on what a client may hold (docs/security.md; defaults in server/limits/server-limits.ts).
    /** Time to receive a request's headers, in ms. */
    headersTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
    /** Time to receive a whole request, headers and body, in ms (then 408). */
    requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
    /** A connection silent this long either way is closed, in ms. */
    idleTimeoutMs: z.number().int().min(100).max(3_600_000).default(120_000),
    /** How long a kept-alive connection waits for its next request, in ms. */
    keepAliveTimeoutMs: z.number().int().min(100).max(600_000).default(5_000),
    /** Open connections beyond which new ones are closed at once. */
    maxConnections: z.number().int().min(1).max(1_000_000).default(4_096),
    /** Write requests one client address may have in flight (then 429). */
    writesPerClient: z.number().int().min(1).max(1_000_000).default(64),
    /** Bytes the buffered write bodies in flight may hold together (then 503). */
    writeBufferBytes: z
      .number()
      .int()
      .min(1024 * 1024)
      .max(16 * 1024 * 1024 * 1024)
      .default(64 * 1024 * 1024),
  })
  .prefault({});

export const storeSchema = z
  .strictObject({
    /**
     * Where the log is stored: `sqlite:<dir>` or a bare directory (the embedded database), or
     * `postgres://…` (src/store/store-url.ts). Empty: the embedded database in the data directory.
     */
    url: z
      .string()
      .min(1)
      .superRefine((url, context) => {
        const problem = storeUrlProblem(url);
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  })
  .prefault({});

export const logSchema = z
  .strictObject({
    /** Most entries sequenced in one batch (one transaction, one signed checkpoint). */
    batchEntries: z.number().int().min(1).max(65_536).default(16_384),
    /** How long a batch may wait for more entries before it is cut, in ms (0: group commit). */
    batchDelayMs: z.number().int().min(0).max(10_000).default(0),
    /** Entries waiting to be sequenced beyond which submissions are refused with 503. */
    queueEntries: z.number().int().min(1).max(10_000_000).default(65_536),
    /** Hours between the server's full background audits of its store (0: never). */
    fullAuditHours: z.number().min(0).max(8_760).default(24),
  })
  .prefault({});

/** Bounds on unpacking firmware images (see docs/firmware.md); each stops one branch when hit. */
export const firmwareSchema = z
  .strictObject({
    maxTotalBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024 * 1024),
    maxFiles: z.number().int().positive().default(200_000),
    maxDepth: z.number().int().min(0).max(64).default(8),
    maxRatio: z.number().positive().default(250),
    maxFileBytes: z
      .number()
      .int()
      .positive()
      .default(256 * 1024 * 1024),
  })
  .prefault({});

/** What `nospy check` reads (docs/check.md); paths are relative to the config file. */
export const checkSchema = z
  .strictObject({
    /**
     * The log whose statements are checked: its data directory (holding nospy.db), or its
     * tlog-tiles URL (http(s)://…, as `nospy serve` serves it), read with the same verification.
     */
    log: z.string().min(1).optional(),
    /**
     * The blob store the SBOMs and MUD files of logged releases are read from by digest: a
     * directory or a server URL (`/v1/blobs`). Default: the log's own (`<log>/blobs`, or the
     * log's URL).
     */
    blobs: z.string().min(1).optional(),
    /** The operator's inventory (YAML or CSV, docs/policy.md). */
    inventory: z.string().min(1).optional(),
    /** The device map (docs/mud.md) the flows are judged against. */
    devices: z.string().min(1).optional(),
    /** Flow files (NDJSON or CSV) or flow stores (`<data>/flows` directories), docs/flows.md. */
    flows: z.array(z.string().min(1)).max(1024).default([]),
    /**
     * Where traffic verdicts come from: `files` (the behaviour check of `flows`) or `store` (the
     * aggregates traffic workers keep in `traffic.store`). Default: `files` when `flows` names
     * any, else `store` when a bus (`nats.url`) is configured.
     */
    traffic: z.enum(['files', 'store']).optional(),
    /**
     * Firmware images to scan, each optionally with the MUD file and the CycloneDX SBOM (its
     * `services`) its listeners and destinations are compared with (default: those its logged
     * release names, from the blob store).
     */
    firmware: z
      .array(
        z.union([
          z.string().min(1),
          z.strictObject({
            image: z.string().min(1),
            mud: z.string().min(1).optional(),
            sbom: z.string().min(1).optional(),
          }),
        ]),
      )
      .max(1024)
      .default([]),
    /** More SBOMs (CycloneDX or SPDX JSON) of logged releases, beside the blob store's; matched by the SBOM digest. */
    sboms: z.array(z.string().min(1)).max(1024).default([]),
    /** OSV data: directories, JSON files or zip archives. */
    osv: z.array(z.string().min(1)).max(1024).default([]),
    /** Rule packs by id or path (docs/policy.md). */
    packs: z.array(z.string().min(1)).max(64).default([]),
    /** The evaluation date (YYYY-MM-DD); default today. */
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
      .optional(),
  })
  .prefault({});

/** The message bus collectors publish flow batches to and traffic workers consume (docs/flows.md). */
export const natsSchema = z
  .strictObject({
    /** NATS servers with JetStream (`nats://host:4222`, several separated by commas); also `NATS_URL`. */
    url: z.string().min(1).optional(),
  })
  .prefault({});

/** The traffic workers' aggregates (docs/flows.md). */
export const trafficSchema = z
  .strictObject({
    /**
     * The traffic store: `sqlite:<file>` or a bare file path (relative to the config file), or a
     * PostgreSQL URL. Default: `traffic.db` in the data directory.
     */
    store: z.string().min(1).optional(),
  })
  .prefault({});

export const configSchema = z.strictObject({
  /** The data directory: the embedded database, tiles, blobs and state files. */
  data: z.string().min(1).default('.nospy'),
  /** The trust file `nospy serve` verifies submitted statements against (docs/statements.md). */
  trust: z.string().min(1).optional(),
  logging: loggingSchema,
  server: serverSchema,
  store: storeSchema,
  log: logSchema,
  firmware: firmwareSchema,
  check: checkSchema,
  nats: natsSchema,
  traffic: trafficSchema,
});

export type NospyConfig = z.infer<typeof configSchema>;
export type NospyConfigInput = z.input<typeof configSchema>;
