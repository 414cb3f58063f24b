/**
 * Flow files: the CSV and NDJSON that `nospy flows decode` and `nospy collect` write and that
 * `nospy mud check --flows` reads. Columns and field names: FLOW_FILE_COLUMNS.
 *
 * @example
 * for await (const { record, line, initiator } of readFlowFile('flows.csv')) { … }
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { FlowError } from './errors.js';
import { formatFlowCsvHeader, formatFlowCsvRow, formatFlowNdjson } from './flow-file-format.js';
import {
  parseCsvHeader,
  parseCsvRow,
  parseNdjsonLine,
  splitCsvLine,
  type CsvLayout,
  type FlowFileInitiator,
} from './flow-file-parse.js';
import type { FlowRecord } from './flow-record.js';
import { readLines } from './line-reader.js';

export {
  FLOW_FILE_COLUMNS,
  formatFlowCsvHeader,
  formatFlowCsvRow,
  formatFlowNdjson,
} from './flow-file-format.js';
export type { FlowFileColumn } from './flow-file-format.js';
export {
  parseCsvHeader,
  parseCsvRow,
  parseNdjsonLine,
  type FlowFileInitiator,
} from './flow-file-parse.js';

export type FlowFileFormat = 'csv' | 'ndjson';

/** One record read from a flow file. */
export interface FlowFileEntry {
  readonly record: FlowRecord;
  /** 1-based line number in the file. */
  readonly line: number;
  /** The byte offset of the record's line in the file. */
  readonly offset: number;
  /** The `initiator` cell exactly as written (src/dst/device/remote/unknown; empty → unknown). */
  readonly initiator: FlowFileInitiator;
}

export interface ReadFlowFileOptions {
  /** csv or ndjson; by default from the extension (.csv, .ndjson/.jsonl/.json), else sniffed. */
  readonly format?: FlowFileFormat;
  /** The longest line accepted (default 64 KiB). */
  readonly maxLineBytes?: number;
  /** Read only the first N bytes (a segment still being appended to, up to its last newline). */
  readonly lengthBytes?: number;
}

/** The format a file name implies, or undefined when it implies none. */
export function flowFileFormatOf(path: string): FlowFileFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl') || lower.endsWith('.json'))
    return 'ndjson';
  return undefined;
}

/**
 * Streams the records of a CSV or NDJSON flow file in file order. Blank lines and, in NDJSON,
 * lines starting with `#` are skipped. Throws FlowError FLOW_FILE_INVALID naming file:line and
 * the field at the first bad line, FLOW_FILE_UNREADABLE when the file cannot be read.
 */
export async function* readFlowFile(
  path: string,
  options: ReadFlowFileOptions = {},
): AsyncGenerator<FlowFileEntry> {
  let format = options.format ?? flowFileFormatOf(path);
  let layout: CsvLayout | undefined;
  for await (const { text, line, offset } of readLines(path, {
    maxLineBytes: options.maxLineBytes ?? 64 * 1024,
    code: 'FLOW_FILE_INVALID',
    lengthBytes: options.lengthBytes,
  })) {
    const trimmed = line === 1 && text.startsWith('\ufeff') ? text.slice(1) : text;
    if (trimmed.trim() === '') continue;
    const where = `${path}:${line}`;
    format ??= trimmed.trimStart().startsWith('{') ? 'ndjson' : 'csv';
    if (format === 'ndjson') {
      if (trimmed.startsWith('#')) continue;
      const parsed = parseNdjsonLine(trimmed, where);
      yield { record: parsed.record, line, offset, initiator: parsed.initiator };
    } else if (layout === undefined) {
      layout = parseCsvHeader(splitCsvLine(trimmed, where), where);
    } else {
      const parsed = parseCsvRow(trimmed, layout, where);
      yield { record: parsed.record, line, offset, initiator: parsed.initiator };
    }
  }
  if (format === 'csv' && layout === undefined) {
    throw new FlowError('FLOW_FILE_INVALID', `${path}: empty CSV flow file (no header line)`, {
      where: path,
    });
  }
}

/** Writes flow records as CSV (header first) or NDJSON, one line each, honouring back-pressure. */
export class FlowFileWriter {
  private headerWritten = false;
  #written = 0;

  constructor(
    private readonly out: Writable | NodeJS.WritableStream,
    readonly format: FlowFileFormat,
    private readonly withId = false,
  ) {}

  /** Records written so far. */
  get written(): number {
    return this.#written;
  }

  /** Writes the CSV header now (also done before the first record). */
  async begin(): Promise<void> {
    if (this.format === 'csv' && !this.headerWritten) {
      this.headerWritten = true;
      await this.push(`${formatFlowCsvHeader(this.withId)}\n`);
    }
  }

  /** Writes a batch of records as one chunk. */
  async write(records: readonly FlowRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.begin();
    let chunk = '';
    for (const record of records) {
      chunk +=
        this.format === 'csv'
          ? `${formatFlowCsvRow(record, this.withId)}\n`
          : `${formatFlowNdjson(record)}\n`;
    }
    this.#written += records.length;
    await this.push(chunk);
  }

  private async push(chunk: string): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out as Writable, 'drain');
  }
}
