import { describe, expect, it } from 'vitest';
import { readRecordFields } from './field-reader.js';
import { RecordFields } from './record-fields.js';
import { compileTemplate, VARIABLE_LENGTH, type TemplateField } from './template.js';

const field = (id: number, length: number, enterprise = 0): TemplateField => ({
  id,
  enterprise,
  length,
});
const compile = (fields: TemplateField[]) =>
  compileTemplate(256, fields, { options: false, scopeCount: 0, now: 0 });

describe('reading a data record’s fields with its compiled template', () => {
  it('reads a fixed-length record’s used fields at their offsets and skips the rest', () => {
    // sourceIPv4Address, an enterprise field, destinationIPv4Address, octetDeltaCount (reduced to 3).
    const template = compile([field(8, 4), field(1, 2, 6876), field(12, 4), field(1, 3)]);
    expect(template.ops.length).toBe(9);
    const bytes = Uint8Array.from([0xaa, 192, 0, 2, 1, 0xff, 0xff, 198, 51, 100, 7, 1, 0, 0]);
    const f = new RecordFields();
    expect(readRecordFields(bytes, 1, bytes.length, template, f)).toBe(14);
    expect([f.srcFamily, f.src[0], f.dstFamily, f.dst[0], f.bytes]).toEqual([
      4, 0xc0000201, 4, 0xc6336407, 65536,
    ]);
  });

  it('keeps the first source address field when a template carries two', () => {
    const template = compile([field(27, 16), field(8, 4)]);
    const bytes = new Uint8Array(20);
    bytes.set([0x20, 0x01, 0x0d, 0xb8], 0);
    bytes[15] = 1;
    bytes.set([192, 0, 2, 1], 16);
    const f = new RecordFields();
    readRecordFields(bytes, 0, bytes.length, template, f);
    expect(f.srcFamily).toBe(6);
    expect([...f.src]).toEqual([0x20010db8, 0, 0, 1]);
  });

  it('reads past variable-length fields in both length forms (RFC 7011 §7)', () => {
    const template = compile([field(82, VARIABLE_LENGTH), field(83, VARIABLE_LENGTH), field(4, 1)]);
    const long = new Uint8Array(300).fill(7);
    const bytes = Uint8Array.from([2, 9, 9, 255, 1, 44, ...long, 17]);
    const f = new RecordFields();
    expect(readRecordFields(bytes, 0, bytes.length, template, f)).toBe(bytes.length);
    expect(f.proto).toBe(17);
  });

  it('returns -1 when a variable-length field runs past the set', () => {
    const template = compile([field(82, VARIABLE_LENGTH), field(4, 1)]);
    const f = new RecordFields();
    expect(readRecordFields(Uint8Array.from([5, 1, 2]), 0, 3, template, f)).toBe(-1);
  });
});
