/**
 * The diff report: what `nospy firmware diff --json` prints and what a `rebuild` statement names
 * by digest when an evaluator's build is not the released image (docs/firmware.md, "Diff").
 *
 *   {"equivalent": bool,
 *    "files": [{"path", "change": "added"|"removed"|"content"|"metadata", "classification",
 *               "a": {"sha256", "size"}, "b": {"sha256", "size"}}],
 *    "indicators": {"onlyInA": [indicator…], "onlyInB": [indicator…]}}
 *
 * Read back (from a blob store, by the check) strictly and within bounds.
 */
import { z } from 'zod';
import type { Indicator } from '../indicators/types.js';

export const FILE_CHANGES = ['added', 'removed', 'content', 'metadata'] as const;
export type FileChange = (typeof FILE_CHANGES)[number];

/** One side of a compared entry: its SHA-256 (null for directories and devices) and size. */
export interface DiffSide {
  readonly sha256: string | null;
  readonly size: number;
}

export interface FileDifference {
  /**
   * The entry's absolute path in the image's tree (`/usr/sbin/dropbear`, `<archive>!/<member>`
   * inside a nested archive), or a container of the image (`gzip@0x0>tar@0x0`), or `image`.
   */
  readonly path: string;
  readonly change: FileChange;
  /** Why it differs (src/firmware/diff/classification.ts); null for added and removed. */
  readonly classification: string | null;
  readonly a: DiffSide | null;
  readonly b: DiffSide | null;
}

export interface DiffReport {
  /** No entry added, removed or changed in content: every file's bytes are the same. */
  readonly equivalent: boolean;
  readonly files: readonly FileDifference[];
  /** Back-door indicators (as `nospy firmware scan` reports them) found in one image only. */
  readonly indicators: {
    readonly onlyInA: readonly Indicator[];
    readonly onlyInB: readonly Indicator[];
  };
}

/** Largest diff report read back: a blob store's default bound. */
export const MAX_DIFF_REPORT_BYTES = 64 * 1024 * 1024;

const side = z.strictObject({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  size: z.int().min(0),
});

const indicator = z.looseObject({
  kind: z.string().max(64),
  rule: z.string().max(64),
  path: z.string().max(4096),
  detail: z.string().max(16_384),
});

const reportSchema = z.strictObject({
  equivalent: z.boolean(),
  files: z
    .array(
      z.strictObject({
        path: z.string().min(1).max(4096),
        change: z.enum(FILE_CHANGES),
        classification: z.string().max(256).nullable(),
        a: side.nullable(),
        b: side.nullable(),
      }),
    )
    .max(2_000_000),
  indicators: z.strictObject({
    onlyInA: z.array(indicator).max(100_000),
    onlyInB: z.array(indicator).max(100_000),
  }),
});

/** An indicator as read back from a stored report: the fields every indicator has. */
export interface StoredIndicator {
  readonly kind: string;
  readonly rule: string;
  readonly path: string;
  readonly detail: string;
  readonly [field: string]: unknown;
}

/** A diff report read back from bytes (its indicators checked only for their common fields). */
export interface StoredDiffReport extends Omit<DiffReport, 'indicators'> {
  readonly indicators: {
    readonly onlyInA: readonly StoredIndicator[];
    readonly onlyInB: readonly StoredIndicator[];
  };
}

export type DiffReportParse =
  | { readonly ok: true; readonly report: StoredDiffReport }
  | { readonly ok: false; readonly reason: string };

/** Parses a diff report's JSON bytes; a problem is returned, never thrown. */
export function parseDiffReport(bytes: Uint8Array): DiffReportParse {
  if (bytes.length > MAX_DIFF_REPORT_BYTES)
    return { ok: false, reason: `${bytes.length} bytes, more than ${MAX_DIFF_REPORT_BYTES}` };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return { ok: false, reason: `not UTF-8 JSON: ${(error as Error).message}` };
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not a diff report'}`,
    };
  }
  return { ok: true, report: parsed.data };
}

/** The report as `--json` prints it and as it is stored: compact JSON, keys in spec order. */
export function formatDiffReport(report: DiffReport): string {
  return `${JSON.stringify(report)}\n`;
}

/** True when the entry breaks equivalence (added, removed, or its bytes changed). */
export function breaksEquivalence(file: FileDifference): boolean {
  return file.change !== 'metadata';
}
