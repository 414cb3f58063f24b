/**
 * The finding evidence file, `nospy-finding/v1`: one finding with everything a stranger needs to
 * re-check it offline, as `nospy check --evidence <dir>` writes it (`<finding id>.json`):
 *
 *   {"format": "nospy-finding/v1",
 *    "evaluatedAt": "<the report's evaluation instant>",
 *    "finding": {<the finding exactly as in `nospy check --json`>},
 *    "blobs": {"sha256:<hex>": "<base64>"}}      // documents the evidence names by digest
 *
 * Every evidence part of the finding is self-contained (docs/check.md, "Evidence a stranger can
 * check"): a cited statement is a `nospy-evidence/v1` bundle (envelope, tlog-proof, cosigned
 * checkpoint) with its index; an absence lists the vendor's releases with their proofs; a
 * log-inconsistency is its two signed checkpoints and the proof; flow samples say where they were
 * read; a policy finding on a logged inventory carries that statement, the packs' and registry's
 * digests and the day. A finding object cut out of `nospy check --json` is read as a file without
 * `evaluatedAt` and `blobs`. The schema below is the format; this module is pure.
 */
import { z } from 'zod';
import { firstDuplicateKey } from '../statements/json-duplicates.js';
import { CheckError } from './errors.js';
import { FINDING_KINDS, SEVERITIES, type Finding } from './finding.js';

export const FINDING_FILE_FORMAT = 'nospy-finding/v1';
export const BUNDLE_FORMAT = 'nospy-evidence/v1';
/**
 * A finding file is read whole: an absence lists up to 1000 releases (72 KiB each) and a logged
 * inventory can be large; beyond this, the file is refused before it is parsed.
 */
export const MAX_FINDING_BYTES = 256 * 1024 * 1024;
/** Most evidence parts, samples or listed items one finding may carry. */
const MAX_PARTS = 10_000;

const text = (max: number) => z.string().max(max);
const index = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().min(0);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'expected an ISO 8601 UTC instant');

/** A DSSE envelope as JSON; its bytes are judged by the DSSE parser when verified. */
export const envelopeJsonSchema = z.strictObject({
  payload: text(96 * 1024),
  payloadType: text(256),
  signatures: z.array(z.strictObject({ keyid: text(1024), sig: text(1024) })).max(64),
});

/** A logged statement: a `nospy-evidence/v1` bundle with its type and log index. */
export const statementEvidenceSchema = z.strictObject({
  type: z.literal('statement'),
  format: z.literal(BUNDLE_FORMAT),
  index,
  envelope: envelopeJsonSchema,
  proof: text(64 * 1024),
});

const absenceSchema = z.strictObject({
  type: z.literal('absence'),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  checkpoint: text(64 * 1024),
  detail: text(16 * 1024),
  vendor: text(1024).optional(),
  releases: z
    .array(z.strictObject({ index, envelope: text(96 * 1024), tlogProof: text(64 * 1024) }))
    .max(1000)
    .optional(),
  omitted: count.optional(),
});

export const flowOriginSchema = z.strictObject({
  source: z.enum(['file', 'flow-store']),
  path: text(4096),
  sha256: hex64,
  offset: count,
  line: count,
});

const flowsSchema = z.strictObject({
  type: z.literal('flows'),
  records: z.array(z.record(z.string(), z.unknown())).max(MAX_PARTS),
  origins: z.array(flowOriginSchema).max(MAX_PARTS).optional(),
  messages: z
    .array(z.strictObject({ stream: text(256), sequence: count }))
    .max(MAX_PARTS)
    .optional(),
  total: z.strictObject({ records: count, bytes: count }),
});

const fileSchema = z.strictObject({
  type: z.literal('file'),
  image: text(4096),
  path: text(4096),
  line: count.optional(),
  offset: count.optional(),
  detail: text(16 * 1024),
});

const advisorySchema = z.strictObject({
  type: z.literal('advisory'),
  id: text(256),
  aliases: z.array(text(256)).max(256),
  component: text(1024),
  version: text(256),
  affected: text(4096),
  fixed: text(256).optional(),
});

export const loggedPolicyBasisSchema = z.strictObject({
  inventory: statementEvidenceSchema,
  packs: z
    .array(z.strictObject({ id: text(256), sha256: hex64 }))
    .min(1)
    .max(256),
  registry: hex64,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
});

const policySchema = z.strictObject({
  type: z.literal('policy'),
  pack: text(256),
  rule: text(256),
  items: z.array(text(1024)).max(MAX_PARTS),
  source: text(64 * 1024).optional(),
  logged: loggedPolicyBasisSchema.optional(),
});

const seenCheckpoint = z.strictObject({ checkpoint: text(64 * 1024), seenBy: text(4096) });
const inconsistencySchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  type: z.literal('log-inconsistency'),
  origin: text(1024),
  conflict: z.enum(['two-roots-at-one-size', 'not-an-extension']),
  older: seenCheckpoint,
  newer: seenCheckpoint,
  proof: z.array(text(64)).max(128),
  detail: text(16 * 1024),
});

const diffFile = z.strictObject({
  path: text(4096),
  change: text(64),
  classification: text(256).nullable(),
});
const diffIndicator = z.strictObject({
  kind: text(256),
  rule: text(256),
  path: text(4096),
  detail: text(16 * 1024),
});
const diffSchema = z.strictObject({
  type: z.literal('diff'),
  report: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  statement: index,
  available: z.boolean(),
  equivalent: z.boolean().optional(),
  counts: z
    .strictObject({ added: count, removed: count, content: count, metadata: count })
    .optional(),
  files: z.array(diffFile).max(MAX_PARTS).optional(),
  omitted: count.optional(),
  indicators: z
    .strictObject({
      onlyInA: z.array(diffIndicator).max(MAX_PARTS),
      onlyInB: z.array(diffIndicator).max(MAX_PARTS),
    })
    .optional(),
  detail: text(16 * 1024),
});

/** One evidence part (src/check/finding.ts, `Evidence`). */
export const evidencePartSchema = z.union([
  statementEvidenceSchema,
  absenceSchema,
  flowsSchema,
  fileSchema,
  advisorySchema,
  policySchema,
  inconsistencySchema,
  diffSchema,
]);

export const findingSchema = z.strictObject({
  id: z.string().regex(/^[a-z-]+:[0-9a-f]{16}$/, 'expected <kind>:<16 hex digits>'),
  kind: z.enum(FINDING_KINDS),
  severity: z.enum(SEVERITIES),
  subject: z.strictObject({
    device: text(1024).optional(),
    vendor: text(1024).optional(),
    release: text(1024).optional(),
    log: text(1024).optional(),
  }),
  breaks: z.union([
    z.strictObject({ type: z.literal('clause'), agreement: index, clause: text(256) }),
    z.strictObject({ type: z.literal('rule'), pack: text(256), rule: text(256) }),
    z.strictObject({ type: z.literal('log'), property: z.literal('consistency') }),
  ]),
  firstSeen: instant,
  lastSeen: instant,
  explanation: text(64 * 1024),
  evidence: z.array(evidencePartSchema).max(MAX_PARTS),
});

export const findingFileSchema = z.strictObject({
  format: z.literal(FINDING_FILE_FORMAT),
  evaluatedAt: instant,
  finding: findingSchema,
  /** Documents the evidence names by digest (a logged inventory), base64. */
  blobs: z.record(z.string().regex(/^sha256:[0-9a-f]{64}$/), z.base64()).optional(),
});

/** A finding evidence file as read (a bare finding has no `evaluatedAt` and no blobs). */
export interface FindingFile {
  readonly evaluatedAt: string | undefined;
  readonly finding: Finding;
  /** Documents by hex SHA-256. */
  readonly blobs: ReadonlyMap<string, Buffer>;
}

/** True for JSON that is a finding file or a bare finding object (then read it strictly). */
export function isFindingDocument(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const record = json as Record<string, unknown>;
  return (
    record.format === FINDING_FILE_FORMAT ||
    (typeof record.id === 'string' &&
      typeof record.kind === 'string' &&
      Array.isArray(record.evidence))
  );
}

/** The file `nospy check --evidence` writes for one finding (pretty JSON, one trailing newline). */
export function formatFindingFile(file: {
  readonly evaluatedAt: string;
  readonly finding: Finding;
  readonly blobs?: ReadonlyMap<string, Buffer>;
}): string {
  const blobs =
    file.blobs === undefined || file.blobs.size === 0
      ? {}
      : {
          blobs: Object.fromEntries(
            [...file.blobs].map(([hex, bytes]) => [`sha256:${hex}`, bytes.toString('base64')]),
          ),
        };
  return `${JSON.stringify(
    { format: FINDING_FILE_FORMAT, evaluatedAt: file.evaluatedAt, finding: file.finding, ...blobs },
    null,
    2,
  )}\n`;
}

/**
 * Reads a finding file, or a bare finding object, strictly: bounded, JSON, no member twice, the
 * schema above. Throws CHECK_EVIDENCE_INVALID naming the field. Whether the evidence holds is
 * the verifier's business (`verify-finding.ts`).
 */
export function parseFindingDocument(input: Uint8Array | string): FindingFile {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_FINDING_BYTES) {
    throw invalid('evidence', `is ${size} bytes, more than the ${MAX_FINDING_BYTES} allowed`);
  }
  const source = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw invalid('evidence', `is not JSON: ${(error as Error).message}`);
  }
  const repeated = firstDuplicateKey(source);
  if (repeated !== undefined) throw invalid(repeated, 'appears twice in one object');
  const isFile =
    typeof json === 'object' &&
    json !== null &&
    (json as Record<string, unknown>).format === FINDING_FILE_FORMAT;
  const parsed = isFile ? findingFileSchema.safeParse(json) : findingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map(String).join('.');
    throw invalid(path === '' ? 'evidence' : path, issue?.message ?? 'is not a finding');
  }
  if (!isFile) {
    return { evaluatedAt: undefined, finding: parsed.data as Finding, blobs: new Map() };
  }
  const file = parsed.data as z.infer<typeof findingFileSchema>;
  const blobs = new Map<string, Buffer>();
  for (const [digest, base64] of Object.entries(file.blobs ?? {})) {
    blobs.set(digest.slice('sha256:'.length), Buffer.from(base64, 'base64'));
  }
  return { evaluatedAt: file.evaluatedAt, finding: file.finding as Finding, blobs };
}

function invalid(where: string, message: string): CheckError {
  return new CheckError('CHECK_EVIDENCE_INVALID', `finding evidence: ${where} ${message}`, {
    where,
  });
}
