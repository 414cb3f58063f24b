/**
 * A finding's flow samples: each record exactly as the flow-file format writes one, and, with the
 * verifier's own flow files at hand, the same record at each sample's origin.
 */
import { formatFlowNdjson } from '../flows/flow-file-format.js';
import { parseNdjsonLine } from '../flows/flow-file-parse.js';
import type { FlowOrigin, FlowsEvidence } from './finding.js';
import type { AddCheck } from './evidence-check.js';

export function verifyFlowSamples(
  part: FlowsEvidence,
  recordAt: ((origin: FlowOrigin) => string | undefined) | undefined,
  add: AddCheck,
): void {
  const malformed: number[] = [];
  part.records.forEach((record, i) => {
    try {
      const text = JSON.stringify(record);
      // The record must be a flow record exactly as the flow-file format writes one.
      if (formatFlowNdjson(parseNdjsonLine(text, `records[${i}]`).record) !== text) {
        malformed.push(i);
      }
    } catch {
      malformed.push(i);
    }
  });
  add(
    'records',
    malformed.length === 0 ? 'pass' : 'fail',
    malformed.length === 0
      ? `${part.records.length} sample flow record(s), each a well-formed flow record`
      : `sample record(s) ${malformed.join(', ')} are not flow records as the flow-file format writes them`,
  );
  if (part.records.length > part.total.records) {
    add(
      'records',
      'fail',
      `${part.records.length} samples, but the total says ${part.total.records} records`,
    );
  }
  const origins = part.origins;
  const messages = part.messages;
  if (origins === undefined && messages !== undefined) {
    if (messages.length !== part.records.length) {
      add(
        'origins',
        'fail',
        `${messages.length} stream message(s) for ${part.records.length} sample record(s): each record has one`,
      );
    } else {
      add(
        'origins',
        'pass',
        `each sample names the stream message that carried it: ${[...new Set(messages.map((m) => `${m.stream} #${m.sequence}`))].join(', ')}`,
      );
    }
    add(
      'observed',
      'skip',
      "the samples come from a traffic store: compare each with its message in the stream (while the stream retains it); flow records are the operator's observations, signed by no one",
    );
    return;
  }
  if (origins === undefined) {
    add('origins', 'warn', 'the samples do not say where they were read');
  } else if (origins.length !== part.records.length) {
    add(
      'origins',
      'fail',
      `${origins.length} origin(s) for ${part.records.length} sample record(s): each record has one`,
    );
  } else {
    add(
      'origins',
      'pass',
      `each sample names its source: ${[...new Set(origins.map((o) => `${o.path} (sha256:${o.sha256.slice(0, 12)}…)`))].join(', ')}`,
    );
  }
  if (recordAt === undefined || origins === undefined) {
    add(
      'observed',
      'skip',
      "flow records are the operator's observations, signed by no one: give the flow files (--flows) to compare each sample with the line at its offset in the file or flow-store segment of that SHA-256",
    );
    return;
  }
  const missing: number[] = [];
  const differ: number[] = [];
  origins.forEach((origin, i) => {
    const found = recordAt(origin);
    if (found === undefined) missing.push(i);
    else if (found !== JSON.stringify(part.records[i])) differ.push(i);
  });
  add(
    'observed',
    missing.length === 0 && differ.length === 0 ? 'pass' : 'fail',
    missing.length === 0 && differ.length === 0
      ? `each sample is the record at its offset in the flow file of its SHA-256`
      : [
          missing.length > 0
            ? `no record at the origin of sample(s) ${missing.join(', ')} in the flow files given (no file of that SHA-256, or no line starts at that offset)`
            : '',
          differ.length > 0
            ? `sample(s) ${differ.join(', ')} differ from the record at their offset`
            : '',
        ]
          .filter((t) => t !== '')
          .join('; '),
  );
}
