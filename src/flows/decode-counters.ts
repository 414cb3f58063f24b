/**
 * What a decoder saw, as counters: every datagram is decoded or counted as malformed with a
 * reason; every record that could not be delivered is counted as dropped with a reason.
 */

/** Why a datagram, set or record could not be decoded. */
export type MalformedReason =
  | 'truncated-header'
  | 'unknown-version'
  | 'v5-count-invalid'
  | 'v5-length-mismatch'
  | 'length-mismatch'
  | 'set-length-invalid'
  | 'set-id-invalid'
  | 'template-invalid'
  | 'record-truncated'
  | 'varlen-invalid'
  | 'too-many-records'
  | 'sflow-invalid'
  | 'sflow-header-invalid'
  | 'internal';

/** Why records (or sets of records) that were well-formed were still not delivered. */
export type DropReason =
  | 'template-missing-expired'
  | 'pending-overflow'
  | 'template-limit'
  | 'session-evicted'
  | 'record-unusable';

export class DecodeCounters {
  datagrams = 0;
  /** Datagrams with at least one malformed part (each part is also counted by reason). */
  malformedDatagrams = 0;
  records = 0;
  templates = 0;
  templatesRedefined = 0;
  templatesWithdrawn = 0;
  optionsRecords = 0;
  /** sFlow counter samples and other sample types that carry no flows: skipped on purpose. */
  samplesSkipped = 0;
  /** Data sets held until their template arrives, and those later decoded. */
  setsBuffered = 0;
  setsReplayed = 0;
  readonly malformed = new Map<MalformedReason, number>();
  /** Dropped units by reason (sets for template-missing/pending-overflow, else records). */
  readonly dropped = new Map<DropReason, number>();
  readonly byVersion = new Map<number, number>();
  /** The sum over `malformed`, kept as it grows: read twice for every datagram. */
  private malformedParts = 0;

  malformedPart(reason: MalformedReason): void {
    this.malformed.set(reason, (this.malformed.get(reason) ?? 0) + 1);
    this.malformedParts += 1;
  }

  drop(reason: DropReason, count = 1): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + count);
  }

  /** Total malformed parts over all reasons. */
  get malformedTotal(): number {
    return this.malformedParts;
  }

  get droppedTotal(): number {
    let total = 0;
    for (const value of this.dropped.values()) total += value;
    return total;
  }

  /** A plain object for JSON output and logs. */
  toJSON(): Record<string, unknown> {
    return {
      datagrams: this.datagrams,
      malformed_datagrams: this.malformedDatagrams,
      records: this.records,
      templates: this.templates,
      templates_redefined: this.templatesRedefined,
      templates_withdrawn: this.templatesWithdrawn,
      options_records: this.optionsRecords,
      samples_skipped: this.samplesSkipped,
      sets_buffered: this.setsBuffered,
      sets_replayed: this.setsReplayed,
      malformed: Object.fromEntries(this.malformed),
      dropped: Object.fromEntries(this.dropped),
      by_version: Object.fromEntries([...this.byVersion].map(([k, v]) => [String(k), v])),
    };
  }
}
