import type { DecodeCounters } from './decode-counters.js';
import { decodeDataSet } from './data-set.js';
import type { ExportContext, ExporterSession, SessionLimits } from './exporter-session.js';
import type { FlowSink } from './flow-view.js';
import { readTemplateSet } from './template-set.js';
import { u16 } from './wire.js';

/**
 * Walks the sets of a NetFlow v9 (RFC 3954 §5) or IPFIX (RFC 7011 §3.3) message body: template
 * sets define templates, data sets are decoded with theirs (flows go to `sink`) or held until it
 * arrives. Returns false when a malformed set stopped the walk (counted with its reason).
 */
export function walkSets(
  bytes: Uint8Array,
  start: number,
  end: number,
  ipfix: boolean,
  context: ExportContext,
  session: ExporterSession,
  limits: SessionLimits,
  now: number,
  counters: DecodeCounters,
  sink: FlowSink,
): boolean {
  let p = start;
  while (end - p >= 4) {
    const setId = u16(bytes, p);
    const length = u16(bytes, p + 2);
    // A set shorter than its own header would loop forever; one past the end is truncated.
    if (length < 4 || p + length > end) {
      // RFC 3954 §5.3: some v9 exporters zero-fill the datagram after the last FlowSet.
      if (setId === 0 && length === 0 && !ipfix && allZero(bytes, p, end)) return true;
      counters.malformedPart('set-length-invalid');
      return false;
    }
    const body = p + 4;
    const setEnd = p + length;
    // Template sets make their replay callback here: data-only datagrams allocate no closure.
    if (ipfix ? setId === 2 : setId === 0) {
      readTemplateSet(
        bytes,
        body,
        setEnd,
        ipfix ? 'ipfix-template' : 'v9-template',
        session,
        limits,
        now,
        counters,
        (template) => {
          replayHeld(template.id, session, limits, counters, sink);
        },
      );
    } else if (ipfix ? setId === 3 : setId === 1) {
      readTemplateSet(
        bytes,
        body,
        setEnd,
        ipfix ? 'ipfix-options' : 'v9-options',
        session,
        limits,
        now,
        counters,
        (template) => {
          replayHeld(template.id, session, limits, counters, sink);
        },
      );
    } else if (setId >= 256) {
      const template = session.template(setId, now, limits);
      if (template === undefined) {
        session.hold(
          { templateId: setId, bytes: bytes.slice(body, setEnd), context, receivedAt: now },
          limits,
          counters,
        );
      } else {
        decodeDataSet(bytes, body, setEnd, template, context, session, limits, counters, sink);
      }
    } else {
      // RFC 7011 §3.3.2: IDs 4–255 are reserved; RFC 3954: 2–255 likewise. Skip by length.
      counters.malformedPart('set-id-invalid');
    }
    p = setEnd;
  }
  if (p < end && !allZero(bytes, p, end)) {
    counters.malformedPart('set-length-invalid');
    return false;
  }
  return true;
}

/** Decodes the data sets held for a template that has just been defined. */
function replayHeld(
  templateId: number,
  session: ExporterSession,
  limits: SessionLimits,
  counters: DecodeCounters,
  sink: FlowSink,
): void {
  for (const held of session.takePending(templateId)) {
    const current = session.templates.get(templateId);
    if (current === undefined) break;
    counters.setsReplayed += 1;
    decodeDataSet(
      held.bytes,
      0,
      held.bytes.length,
      current,
      held.context,
      session,
      limits,
      counters,
      sink,
    );
  }
}

function allZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (bytes[i] !== 0) return false;
  return true;
}
