/**
 * The check's flow sources: flow files (CSV/NDJSON) and flow stores (the `<data>/flows`
 * directories `nospy collect --data` writes), read in the order the config names them. Each
 * record keeps where it was read (file or segment, its SHA-256, the line's byte offset), so a
 * finding's sample records say where a third party finds them.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { basename, relative } from 'node:path';
import type { FlowRecord } from '../../flows/flow-record.js';
import { readFlowFile } from '../../flows/flow-file.js';
import { flowSegments, isFlowStore } from '../../flows/flow-store.js';
import type { FlowOrigin } from '../finding.js';

export interface FlowSources {
  readonly records: FlowRecord[];
  /** Where each record was read (by identity: the engine hands back the same objects). */
  readonly origins: Map<FlowRecord, FlowOrigin>;
}

/**
 * Every record of the named sources. A directory is read as a flow store: its segments in time
 * order, an open segment (one the collector is still appending to) up to its last complete line.
 * `base` is what file names are given relative to (the config's directory).
 */
export async function readFlowSources(
  paths: readonly string[],
  base: string = process.cwd(),
): Promise<FlowSources> {
  const records: FlowRecord[] = [];
  const origins = new Map<FlowRecord, FlowOrigin>();
  const read = async (
    file: string,
    source: FlowOrigin['source'],
    name: string,
    lengthBytes: number | undefined,
  ): Promise<void> => {
    const sha256 = fileDigest(file, lengthBytes);
    const options =
      lengthBytes === undefined
        ? source === 'flow-store'
          ? { format: 'ndjson' as const }
          : {}
        : { format: 'ndjson' as const, lengthBytes };
    for await (const entry of readFlowFile(file, options)) {
      records.push(entry.record);
      origins.set(entry.record, {
        source,
        path: name,
        sha256,
        offset: entry.offset,
        line: entry.line,
      });
    }
  };
  for (const path of paths) {
    if (isFlowStore(path)) {
      for (const segment of flowSegments(path)) {
        const name = `${relative(base, path)}/${basename(segment.path)}`;
        await read(segment.path, 'flow-store', name, segment.lengthBytes);
      }
    } else {
      await read(path, 'file', relative(base, path), undefined);
    }
  }
  return { records, origins };
}

/** Hex SHA-256 of a file, or of its first `lengthBytes` bytes (what was read of an open segment). */
function fileDigest(path: string, lengthBytes: number | undefined): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    let position = 0;
    for (;;) {
      const want =
        lengthBytes === undefined ? chunk.length : Math.min(chunk.length, lengthBytes - position);
      if (want <= 0) break;
      const got = readSync(fd, chunk, 0, want, position);
      if (got === 0) break;
      hash.update(chunk.subarray(0, got));
      position += got;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
