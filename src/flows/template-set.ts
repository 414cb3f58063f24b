import type { DecodeCounters } from './decode-counters.js';
import type { ExporterSession, SessionLimits } from './exporter-session.js';
import { compileTemplate, type Template, type TemplateField } from './template.js';
import { isZeroPadding, u16, u32 } from './wire.js';

/** More fields than this in one template is not a real exporter (IPFIX caps a set at 64 KiB). */
const MAX_FIELDS = 512;

/** Called with each template defined, so that held data sets can be replayed. */
export type OnTemplate = (template: Template) => void;

/**
 * NetFlow v9 template FlowSet (RFC 3954 §5.2: id 0) or options template FlowSet (§6.1: id 1);
 * IPFIX template set (RFC 7011 §3.4.1: id 2) or options template set (§3.4.2.2: id 3).
 * Reads every template record in bytes[start, end); stops at the first malformed one.
 */
export function readTemplateSet(
  bytes: Uint8Array,
  start: number,
  end: number,
  kind: 'v9-template' | 'v9-options' | 'ipfix-template' | 'ipfix-options',
  session: ExporterSession,
  limits: SessionLimits,
  now: number,
  counters: DecodeCounters,
  onTemplate: OnTemplate,
): void {
  const ipfix = kind === 'ipfix-template' || kind === 'ipfix-options';
  const options = kind === 'v9-options' || kind === 'ipfix-options';
  let p = start;
  // RFC 7011 §3.3.1: a set may end with padding shorter than a template record header.
  while (end - p >= 4) {
    if (isZeroPadding(bytes, p, end)) return;
    const id = u16(bytes, p);
    let fieldCount: number;
    let scopeCount = 0;
    let q: number;
    if (kind === 'v9-options') {
      // RFC 3954 §6.1: scope and option lengths in bytes, 4 bytes per field specifier.
      if (end - p < 6) break;
      const scopeLength = u16(bytes, p + 2);
      const optionLength = u16(bytes, p + 4);
      if (scopeLength % 4 !== 0 || optionLength % 4 !== 0) {
        counters.malformedPart('template-invalid');
        return;
      }
      scopeCount = scopeLength / 4;
      fieldCount = scopeCount + optionLength / 4;
      q = p + 6;
    } else {
      fieldCount = u16(bytes, p + 2);
      q = p + 4;
      if (ipfix && fieldCount === 0) {
        withdraw(session, id, kind === 'ipfix-options', counters);
        p = q;
        continue;
      }
      if (kind === 'ipfix-options') {
        if (end - q < 2) break;
        scopeCount = u16(bytes, q);
        q += 2;
        // RFC 7011 §3.4.2.2: the scope field count must not be zero.
        if (scopeCount === 0 || scopeCount > fieldCount) {
          counters.malformedPart('template-invalid');
          return;
        }
      }
    }
    if (id < 256 || fieldCount === 0 || fieldCount > MAX_FIELDS) {
      counters.malformedPart('template-invalid');
      return;
    }
    const fields: TemplateField[] = [];
    for (let i = 0; i < fieldCount; i += 1) {
      if (end - q < 4) {
        counters.malformedPart('template-invalid');
        return;
      }
      const rawId = u16(bytes, q);
      const length = u16(bytes, q + 2);
      q += 4;
      let enterprise = 0;
      let elementId = rawId;
      if (ipfix && (rawId & 0x8000) !== 0) {
        // RFC 7011 §3.2: the enterprise bit adds a 4-byte Private Enterprise Number.
        if (end - q < 4) {
          counters.malformedPart('template-invalid');
          return;
        }
        enterprise = u32(bytes, q);
        elementId = rawId & 0x7fff;
        q += 4;
      }
      // RFC 3954 has no variable-length fields, but H3C/HPE exporters send IPFIX-style ones
      // in v9 (length 65535); nfdump and Wireshark read them the IPFIX way, and so do we.
      fields.push({ id: elementId, enterprise, length });
    }
    const template = compileTemplate(id, fields, { options, scopeCount, now });
    if (template.minLength > 65535) {
      counters.malformedPart('template-invalid');
      return;
    }
    if (session.define(template, limits, counters)) onTemplate(template);
    p = q;
    if (kind === 'v9-options') {
      // RFC 3954 §6.1: options template records are padded to a 4-byte boundary.
      while (p < end && (p - start) % 4 !== 0) p += 1;
    }
  }
}

/** RFC 7011 §8.1: a template record with no fields withdraws that template (2/3 = all). */
function withdraw(
  session: ExporterSession,
  id: number,
  options: boolean,
  counters: DecodeCounters,
): void {
  if ((id === 2 && !options) || (id === 3 && options)) {
    for (const [key, template] of session.templates) {
      if (template.options === options) {
        session.templates.delete(key);
        counters.templatesWithdrawn += 1;
      }
    }
    return;
  }
  if (session.templates.delete(id)) counters.templatesWithdrawn += 1;
}
