/**
 * `nospy verify <finding file> --trust <file>`: checks every evidence part of a finding offline
 * (src/check/verify-finding.ts), with the verifier's own rule packs for a policy finding on a
 * logged inventory (the shipped ones, or `--pack` files) and an optional blob store for the
 * documents the file does not carry (`--blobs`).
 */
import { resolve } from 'node:path';
import { openBlobSource } from '../../check/gather/blobs.js';
import { flowRecordsAt } from '../../check/gather/flow-origins.js';
import { parseFindingDocument } from '../../check/finding-file.js';
import {
  documentsNeeded,
  verifyFinding,
  type FindingVerification,
} from '../../check/verify-finding.js';
import { recheckInventory } from '../../policy/from-files.js';
import type { Trust } from '../../statements/trust.js';

export interface FindingVerifyOptions {
  readonly now: Date | undefined;
  readonly blobs: string | undefined;
  readonly packs: readonly string[];
  /** Flow files and flow stores to compare flow samples with. */
  readonly flows: readonly string[];
  readonly cwd: string;
}

export async function verifyFindingFile(
  bytes: Buffer,
  trust: Trust,
  options: FindingVerifyOptions,
): Promise<FindingVerification> {
  const file = parseFindingDocument(bytes);
  const fetched = new Map<string, Buffer>();
  const needed = documentsNeeded(file);
  if (options.blobs !== undefined && needed.length > 0) {
    const location = /^https?:\/\//i.test(options.blobs)
      ? options.blobs
      : resolve(options.cwd, options.blobs);
    const source = openBlobSource(location);
    try {
      for (const hex of needed) {
        // A store that returns other bytes is as good as none: the verifier hashes them anyway.
        const bytes = await source.get(hex).catch(() => undefined);
        if (bytes !== undefined) fetched.set(hex, bytes);
      }
    } finally {
      source.close();
    }
  }
  const packFiles = options.packs.map((p) => resolve(options.cwd, p));
  // Validity is judged when the finding was made, unless the verifier says otherwise.
  const now =
    options.now ?? (file.evaluatedAt === undefined ? new Date() : new Date(file.evaluatedAt));
  return verifyFinding(file, trust, {
    now,
    blob: (hex) => fetched.get(hex),
    recheckPolicy: (basis) => recheckInventory(basis, { packFiles }),
    ...(options.flows.length === 0
      ? {}
      : { flowRecordAt: flowRecordsAt(options.flows.map((f) => resolve(options.cwd, f))) }),
  });
}

export function findingJson(file: string, result: FindingVerification): unknown {
  const cp = result.checkpoint;
  return {
    file,
    valid: result.valid,
    evidence: 'finding',
    finding: { id: result.finding.id, kind: result.finding.kind },
    checkpoint:
      cp === undefined
        ? null
        : { origin: cp.origin, size: cp.size, rootHash: cp.rootHash.toString('base64') },
    checks: result.checks,
    failed: failedOf(result),
  };
}

const MARK = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' } as const;

/** Each failed check named `evidence[<part>] <type> <check>` (or `finding <check>`). */
function failedOf(result: FindingVerification): string[] {
  return [
    ...new Set(
      result.checks
        .filter((c) => c.status === 'fail')
        .map((c) =>
          c.part === undefined ? `finding ${c.id}` : `evidence[${c.part}] ${c.type} ${c.id}`,
        ),
    ),
  ];
}

export function findingHuman(file: string, result: FindingVerification): string {
  const head = result.valid
    ? `${file}: valid evidence for ${result.finding.id} (${result.finding.kind})`
    : `${file}: NOT valid: failed ${failedOf(result).join('; ')}`;
  return [
    head,
    ...result.checks.map(
      (c) =>
        `  ${MARK[c.status]} ${c.part === undefined ? 'finding' : `evidence[${c.part}] ${c.type}`} ${c.id}: ${c.message}`,
    ),
  ].join('\n');
}
