/**
 * The flow files a verifier holds, looked up by the SHA-256 a finding's flow samples name: the
 * record at an origin's byte offset, read from the file (or flow-store segment) with that digest,
 * in the flow-file NDJSON form the samples are written in. Lets `nospy verify --flows` compare
 * every sample with what the operator's files actually say.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatFlowNdjson } from '../../flows/flow-file-format.js';
import { flowFileFormatOf } from '../../flows/flow-file.js';
import {
  parseCsvHeader,
  parseCsvRow,
  parseNdjsonLine,
  splitCsvLine,
} from '../../flows/flow-file-parse.js';
import { completeLength, isFlowStore } from '../../flows/flow-store.js';
import type { FlowOrigin } from '../finding.js';

/** The longest line read (the flow reader's own bound). */
const MAX_LINE_BYTES = 64 * 1024;

interface HeldFile {
  readonly path: string;
  readonly length: number;
  readonly csv: boolean;
}

/**
 * Indexes the given flow files and flow stores by SHA-256 (a segment still being written: of its
 * complete lines), and returns a lookup of the record at an origin: its NDJSON text, or undefined
 * when no file at hand has that digest or no record starts at that offset.
 */
export function flowRecordsAt(
  paths: readonly string[],
): (origin: FlowOrigin) => string | undefined {
  const held = new Map<string, HeldFile>();
  const add = (path: string, length: number | undefined, csv: boolean): void => {
    const bytes = readFileSync(path);
    const used = length === undefined ? bytes : bytes.subarray(0, length);
    const hex = createHash('sha256').update(used).digest('hex');
    held.set(hex, { path, length: used.length, csv });
  };
  for (const path of paths) {
    if (isFlowStore(path)) {
      for (const name of readdirSync(path).sort()) {
        const full = join(path, name);
        if (!statSync(full).isFile()) continue;
        add(full, name.endsWith('.open') ? completeLength(full) : undefined, false);
      }
    } else {
      add(path, undefined, flowFileFormatOf(path) === 'csv');
    }
  }
  return (origin) => {
    const file = held.get(origin.sha256);
    if (file === undefined || origin.offset >= file.length) return undefined;
    try {
      const line = lineAt(file, origin.offset);
      const where = `${file.path}@${origin.offset}`;
      if (!file.csv) return formatFlowNdjson(parseNdjsonLine(line, where).record);
      const header = lineAt(file, 0).replace(/^\ufeff/, '');
      const layout = parseCsvHeader(splitCsvLine(header, where), where);
      return formatFlowNdjson(parseCsvRow(line, layout, where).record);
    } catch {
      return undefined;
    }
  };
}

/** The line that starts at `offset` (the verifier needs the start of a line, not any byte). */
function lineAt(file: HeldFile, offset: number): string {
  if (offset > 0) {
    const before = readRange(file.path, offset - 1, 1);
    if (before[0] !== 10) throw new Error('not the start of a line');
  }
  const chunk = readRange(file.path, offset, Math.min(MAX_LINE_BYTES, file.length - offset));
  const end = chunk.indexOf(10);
  const text = (end < 0 ? chunk : chunk.subarray(0, end)).toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function readRange(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const got = readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
