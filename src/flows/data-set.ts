import type { DecodeCounters } from './decode-counters.js';
import type { ExportContext, ExporterSession } from './exporter-session.js';
import { readRecordFields } from './field-reader.js';
import { flowFromFields } from './flow-from-fields.js';
import { FlowView, type FlowSink } from './flow-view.js';
import { RecordFields } from './record-fields.js';
import { applyOptions } from './sampling.js';
import type { Template } from './template.js';
import { isZeroPadding } from './wire.js';

/** Records per data set beyond which the rest is dropped: a guard against 1-byte templates. */
const MAX_RECORDS_PER_SET = 65_536;

// One scratch and one view for every data set: records are read and delivered one at a time.
const fields = new RecordFields();
const view = new FlowView();

/**
 * Decodes the records of one data set (bytes[start, end)) with its template, delivering each
 * flow to `sink` in the shared view. Trailing bytes shorter than a record must be zero padding
 * (RFC 7011 §3.3.1, RFC 3954 §5.3), else the remainder is counted as malformed. Returns the
 * flows delivered.
 */
export function decodeDataSet(
  bytes: Uint8Array,
  start: number,
  end: number,
  template: Template,
  context: ExportContext,
  session: ExporterSession,
  limits: { maxSamplers: number },
  counters: DecodeCounters,
  sink: FlowSink,
): number {
  if (template.minLength === 0) {
    // A template whose records take no bytes would loop forever over the set.
    counters.malformedPart('template-invalid');
    return 0;
  }
  let p = start;
  let produced = 0;
  let records = 0;
  while (end - p >= template.minLength) {
    if (records >= MAX_RECORDS_PER_SET) {
      counters.malformedPart('too-many-records');
      counters.records += produced;
      return produced;
    }
    records += 1;
    if (!template.useful && template.fixedLength > 0) {
      p += template.fixedLength;
      if (template.options) counters.optionsRecords += 1;
      continue;
    }
    fields.reset();
    const next = readRecordFields(bytes, p, end, template, fields);
    if (next < 0) {
      if (!isZeroPadding(bytes, p, end)) counters.malformedPart('varlen-invalid');
      counters.records += produced;
      return produced;
    }
    p = next;
    if (template.options) {
      counters.optionsRecords += 1;
      applyOptions(fields, session, limits);
      continue;
    }
    if (!flowFromFields(fields, context, session, view)) {
      counters.drop('record-unusable');
      continue;
    }
    sink.flow(view);
    produced += 1;
  }
  if (p < end && !isZeroPadding(bytes, p, end)) counters.malformedPart('record-truncated');
  counters.records += produced;
  return produced;
}
