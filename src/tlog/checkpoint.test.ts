import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/tlog-vectors.json' with { type: 'json' };
import {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
} from './checkpoint.js';
import { cosign } from './cosignature.js';
import { EMPTY_ROOT, leafHash } from './hash.js';
import {
  generateNoteKey,
  KEY_TYPE_COSIGNATURE_V1,
  parsePrivateKey,
  parseVerifierKey,
} from './note-key.js';

const here = vectors.computed_here;
const logSigner = parsePrivateKey(here.log_key.skey);
const logKey = parseVerifierKey(here.log_key.vkey);
const witnessSigner = parsePrivateKey(here.witness_key.skey);
const witnessKey = parseVerifierKey(here.witness_key.vkey);
const referenceRoot = Buffer.from(vectors.reference_tree.roots_hex_by_size[8]!, 'hex');

describe('checkpoints (C2SP tlog-checkpoint, signed-note)', () => {
  describe('published transparency-dev/formats parse vectors, judged strictly', () => {
    for (const v of vectors.checkpoint_parse.vectors) {
      it(`${v.c2sp_strict_valid ? 'accepts' : 'rejects'} "${v.desc}"`, () => {
        if (v.c2sp_strict_valid) expect(parseCheckpoint(v.text).origin).toBe(v.origin);
        else
          expect(() => parseCheckpoint(v.text)).toThrow(
            expect.objectContaining({ code: 'TLOG_CHECKPOINT_INVALID' }),
          );
      });
    }
  });

  describe('strict C2SP extra vectors', () => {
    for (const v of vectors.checkpoint_parse.strict_extra) {
      it(`${v.c2sp_strict_valid ? 'accepts' : 'rejects'} "${v.desc}"`, () => {
        if (v.c2sp_strict_valid) expect(formatCheckpoint(parseCheckpoint(v.text))).toBe(v.text);
        else
          expect(() => parseCheckpoint(v.text)).toThrow(
            expect.objectContaining({ code: 'TLOG_CHECKPOINT_INVALID' }),
          );
      });
    }
  });

  it('parses the C2SP signed example', () => {
    const parsed = parseCheckpoint(
      `${vectors.checkpoint_parse.c2sp_example_signed.split('\n\n')[0]!}\n`,
    );
    const expected = vectors.checkpoint_parse.c2sp_example_parsed;
    expect(parsed).toEqual({
      origin: expected.origin,
      size: expected.size,
      rootHash: Buffer.from(expected.root_b64, 'base64'),
      extensions: [],
    });
  });

  it('parses the Go checksum database tree note (x/mod vector) as a checkpoint', () => {
    const v = vectors.sumdb_tree_note;
    expect(parseCheckpoint(v.text)).toEqual({
      origin: 'go.sum database tree',
      size: v.size,
      rootHash: leafHash(Buffer.from(v.record_text)),
      extensions: [],
    });
  });

  describe('when formatting an impossible checkpoint', () => {
    const good: Checkpoint = { origin: 'o', size: 1, rootHash: EMPTY_ROOT, extensions: [] };
    const bad: [string, Checkpoint][] = [
      ['an empty origin', { ...good, origin: '' }],
      ['an origin with a newline', { ...good, origin: 'a\nb' }],
      ['a negative size', { ...good, size: -1 }],
      ['a fractional size', { ...good, size: 1.5 }],
      ['a 31-byte root', { ...good, rootHash: EMPTY_ROOT.subarray(1) }],
      ['an empty extension', { ...good, extensions: [''] }],
      ['a control character in the origin', { ...good, origin: 'a\tb' }],
    ];
    for (const [what, cp] of bad) {
      it(`refuses ${what}`, () => {
        expect(() => formatCheckpoint(cp)).toThrow(
          expect.objectContaining({
            code: expect.stringMatching(/^TLOG_(CHECKPOINT|NOTE)_INVALID$/),
          }),
        );
      });
    }
  });

  it('accepts sizes up to 2^53-1 and rejects larger ones', () => {
    const root = EMPTY_ROOT.toString('base64');
    expect(parseCheckpoint(`o\n9007199254740991\n${root}\n`).size).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseCheckpoint(`o\n9007199254740992\n${root}\n`)).toThrow(/above 2\^53-1/);
  });

  describe('computed vectors', () => {
    const cp: Checkpoint = {
      origin: here.log_key.name,
      size: 8,
      rootHash: referenceRoot,
      extensions: [],
    };

    it('signs the reference tree checkpoint byte for byte', () => {
      expect(signCheckpoint(cp, logSigner)).toBe(here.checkpoints[0]!.note);
    });

    it('adds the witness cosignature at 1700000000 byte for byte', () => {
      expect(
        signCheckpoint(cp, logSigner) + cosign(formatCheckpoint(cp), witnessSigner, 1_700_000_000),
      ).toBe(here.checkpoints[1]!.note);
    });

    it('signs the size-5 checkpoint byte for byte', () => {
      const five = {
        ...cp,
        size: 5,
        rootHash: Buffer.from(vectors.reference_tree.roots_hex_by_size[5]!, 'hex'),
      };
      expect(signCheckpoint(five, logSigner)).toBe(here.checkpoints[2]!.note);
    });

    for (const v of here.checkpoints) {
      it(`${v.expect === 'valid' ? 'accepts' : 'rejects'} "${v.desc}"`, () => {
        const witnesses = (v.witnesses ?? []).map(parseVerifierKey);
        const open = () =>
          openCheckpoint(v.note, parseVerifierKey(v.vkey), { witnesses, quorum: v.threshold ?? 0 });
        if (v.expect === 'valid') expect(open().checkpoint.origin).toBe(here.log_key.name);
        else expect(open).toThrow();
      });
    }
  });

  describe('when opening with witnesses', () => {
    const note = here.checkpoints[1]!.note;
    it('returns the cosignatures with their timestamps', () => {
      const opened = openCheckpoint(note, logKey, { witnesses: [witnessKey], quorum: 1 });
      expect(opened.cosignatures).toEqual([{ witness: witnessKey, timestamp: 1_700_000_000 }]);
      expect(opened.checkpoint.size).toBe(8);
    });

    it('names how many valid cosignatures there are and how many are needed', () => {
      const other = generateNoteKey('w2.example', KEY_TYPE_COSIGNATURE_V1);
      expect(() =>
        openCheckpoint(note, logKey, { witnesses: [witnessKey, other], quorum: 2 }),
      ).toThrow(/1 valid witness cosignature\(s\), 2 needed/);
      expect(() => openCheckpoint(note, logKey, { witnesses: [witnessKey, other] })).toThrow(
        expect.objectContaining({ code: 'TLOG_QUORUM_NOT_MET' }),
      );
    });

    it('counts a witness listed twice once', () => {
      const twice = [witnessKey, parseVerifierKey(here.witness_key.vkey)];
      expect(openCheckpoint(note, logKey, { witnesses: twice }).cosignatures).toHaveLength(1);
      expect(() => openCheckpoint(note, logKey, { witnesses: twice, quorum: 2 })).toThrow(
        /cannot be met by 1/,
      );
    });

    it('rejects a quorum larger than the witness list', () => {
      expect(() => openCheckpoint(note, logKey, { witnesses: [witnessKey], quorum: 2 })).toThrow(
        /cannot be met/,
      );
    });

    it('rejects a witness cosignature that does not verify', () => {
      const forged = note.replace('TshO4QAAAABlU/EA', 'TshO4QAAAABlU/EB');
      expect(() => openCheckpoint(forged, logKey, { witnesses: [witnessKey], quorum: 0 })).toThrow(
        expect.objectContaining({ code: 'TLOG_SIGNATURE_INVALID' }),
      );
    });
  });

  describe('when the log key does not sign it', () => {
    it('rejects a note signed only by a witness', () => {
      const text = formatCheckpoint({
        origin: here.log_key.name,
        size: 0,
        rootHash: EMPTY_ROOT,
        extensions: [],
      });
      const onlyWitness = `${text}\n${cosign(text, witnessSigner, 1)}`;
      expect(() =>
        openCheckpoint(onlyWitness, logKey, { witnesses: [witnessKey], quorum: 1 }),
      ).toThrow(/no signature by the log key/);
    });

    it('rejects a checkpoint whose origin is not the key name', () => {
      const other = generateNoteKey('other.example/log');
      const cp = { origin: 'other.example/log', size: 0, rootHash: EMPTY_ROOT, extensions: [] };
      expect(() => signCheckpoint(cp, logSigner)).toThrow(/origin/);
      expect(() => signCheckpoint({ ...cp, origin: 'x' }, other)).toThrow(
        expect.objectContaining({ code: 'TLOG_CHECKPOINT_INVALID' }),
      );
    });
  });

  it('detects every single-bit flip anywhere in a cosigned checkpoint', () => {
    const original = Buffer.from(here.checkpoints[1]!.note);
    for (let at = 0; at < original.length; at += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const note = Buffer.from(original);
        note[at]! ^= 1 << bit;
        expect(() => openCheckpoint(note, logKey, { witnesses: [witnessKey], quorum: 1 })).toThrow(
          expect.objectContaining({
            code: expect.stringMatching(
              /^TLOG_((NOTE|SIGNATURE|CHECKPOINT)_INVALID|QUORUM_NOT_MET)$/,
            ),
          }),
        );
      }
    }
  });
});
