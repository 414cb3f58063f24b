import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { DEFAULT_LIMITS, UnpackBudget } from '../../src/firmware/limits.js';
import { findPrivateKeys, dropbearKeyType } from '../../src/firmware/indicators/keys.js';
import { commandsOf } from '../../src/firmware/indicators/commands.js';
import { decodeCpio } from '../../src/firmware/unpack/cpio.js';
import { decodeTar } from '../../src/firmware/unpack/tar.js';
import { readUImageHeader } from '../../src/firmware/unpack/uimage.js';
import { unpackBytes } from '../../src/firmware/unpack/unpack.js';

const LIMITS = { ...DEFAULT_LIMITS, maxTotalBytes: 16 * 1024 * 1024 };
const bytes = fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a));
/** Random bytes behind a real magic, so the parsers get past their first check. */
const withMagic = fc
  .tuple(
    fc.constantFrom(
      '070701',
      '070702',
      '070707',
      'hsqs',
      '\x1f\x8b\x08\x00',
      '\xfd7zXZ\x00',
      '\x27\x05\x19\x56',
    ),
    bytes,
  )
  .map(([magic, rest]) => Buffer.concat([Buffer.from(magic, 'latin1'), rest]));

describe('the parsers on hostile bytes', () => {
  test.prop([fc.oneof(bytes, withMagic)], { numRuns: 300 })(
    'unpacking never throws and stays within the budget',
    (input) => {
      const budget = new UnpackBudget(LIMITS);
      const result = unpackBytes(input, budget, 'fuzz');
      expect(budget.totalBytes).toBeLessThanOrEqual(LIMITS.maxTotalBytes);
      for (const carve of result.carves.filter((c) => c.within === undefined)) {
        expect(carve.offset + carve.size).toBeLessThanOrEqual(input.length);
      }
    },
  );

  test.prop([fc.oneof(bytes, withMagic)], { numRuns: 300 })(
    'tar and cpio decoders consume no more than they are given',
    (input) => {
      const budget = new UnpackBudget(LIMITS);
      expect(decodeTar(input, budget, 't').size).toBeLessThanOrEqual(input.length);
      expect(decodeCpio(input, budget, 'c').size).toBeLessThanOrEqual(input.length);
    },
  );

  test.prop([bytes, fc.nat({ max: 4096 })])(
    'uImage and key readers return nothing rather than throw',
    (input, offset) => {
      expect(() => readUImageHeader(input, offset)).not.toThrow();
      expect(() => dropbearKeyType(input)).not.toThrow();
      expect(
        findPrivateKeys(Buffer.concat([Buffer.from('-----BEGIN RSA PRIVATE KEY-----\n'), input])),
      ).toEqual([]);
    },
  );

  test.prop([fc.string({ maxLength: 300 })])('the shell reader handles any line', (line) => {
    expect(Array.isArray(commandsOf(line))).toBe(true);
  });
});
