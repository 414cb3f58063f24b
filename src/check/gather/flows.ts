/**
 * The check's flow sources: flow files (CSV/NDJSON) and flow stores (the `<data>/flows`
 * directories `nospy collect --data` writes), read in the order the config names them.
 */
import type { FlowRecord } from '../../flows/flow-record.js';
import { readFlowFile } from '../../flows/flow-file.js';
import { flowSegments, isFlowStore } from '../../flows/flow-store.js';

/**
 * Every record of the named sources. A directory is read as a flow store: its segments in time
 * order, an open segment (one the collector is still appending to) up to its last complete line.
 */
export async function readFlowSources(paths: readonly string[]): Promise<FlowRecord[]> {
  const records: FlowRecord[] = [];
  for (const path of paths) {
    if (isFlowStore(path)) {
      for (const segment of flowSegments(path)) {
        const options =
          segment.lengthBytes === undefined
            ? { format: 'ndjson' as const }
            : { format: 'ndjson' as const, lengthBytes: segment.lengthBytes };
        for await (const entry of readFlowFile(segment.path, options)) records.push(entry.record);
      }
    } else {
      for await (const entry of readFlowFile(path)) records.push(entry.record);
    }
  }
  return records;
}
