import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/tlog-vectors.json' with { type: 'json' };
import { cosign } from './cosignature.js';
import {
  keyHandle,
  parsePrivateKey,
  parseVerifierKey,
  generateNoteKey,
  KEY_TYPE_COSIGNATURE_V1,
} from './note-key.js';
import { MAX_NOTE_SIGNATURES, openNote, parseNote, signNote } from './note.js';

const notes = vectors.signed_note;
const peter = parsePrivateKey(vectors.key_pairs.pairs[0]!.skey);
const text = notes.sign_vectors[0]!.text;

describe('signed notes', () => {
  describe('published x/mod and C2SP open vectors', () => {
    for (const v of notes.open_vectors) {
      it(`${v.expect === 'valid' ? 'accepts' : 'rejects'} "${v.desc}"`, () => {
        const verifiers = v.vkeys.map(parseVerifierKey);
        if (v.expect === 'valid') {
          const opened = openNote(v.note, verifiers);
          expect(opened.verified.map(keyHandle)).toEqual(v.verified);
        } else {
          expect(() => openNote(v.note, verifiers)).toThrow(
            expect.objectContaining({
              code: expect.stringMatching(/^TLOG_(NOTE|SIGNATURE)_INVALID$/),
            }),
          );
        }
      });
    }
  });

  it('signs deterministically: the published key over the published text gives the published note', () => {
    for (const v of notes.sign_vectors) {
      expect(signNote(v.text, [parsePrivateKey(v.skey)])).toBe(v.note);
    }
  });

  it('parses the C2SP example note whose key is not published, splitting at the last empty line', () => {
    const parsed = parseNote(notes.unverifiable_examples[0]!.note);
    expect(parsed.text).toBe(
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n',
    );
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]!.name).toBe('quasimodo.example/salvatore');
  });

  it('reports signatures by unknown keys and ignores them', () => {
    const v = notes.open_vectors[2]!;
    const opened = openNote(v.note, v.vkeys.map(parseVerifierKey));
    expect(opened.unknown.map((s) => s.name)).toEqual(['EnochRoot']);
  });

  it('accepts the same note as bytes, and rejects bytes that are not UTF-8', () => {
    const note = signNote(text, [peter]);
    expect(openNote(Buffer.from(note), [peter]).text).toBe(text);
    const bytes = Buffer.from(note);
    bytes[3] = 0xff;
    expect(() => parseNote(bytes)).toThrow(/not valid UTF-8/);
  });

  describe('when the note is malformed', () => {
    const cases: [string, string][] = [
      ['the text does not end in a newline', `no newline\n— ${peter.name} AAAA\n`],
      ['a signature is not canonical base64', `${text}\n— PeterNeumann x08go/ZJkuBS9UG\n`],
      ['a signature is shorter than a key ID and one byte', `${text}\n— PeterNeumann AAAAAA==\n`],
      ['a signature line lacks the em dash', `${text}\n- PeterNeumann x08go/ZJ\n`],
      ['a signature line has no space', `${text}\n— PeterNeumann\n`],
      ['the text has a DEL character', `a\u007f\n\n— PeterNeumann AAAAAAA=\n`],
      ['the text has a lone surrogate', `a\ud800\n\n— PeterNeumann AAAAAAA=\n`],
    ];
    for (const [what, note] of cases) {
      it(`rejects it when ${what}, with TLOG_NOTE_INVALID`, () => {
        expect(() => parseNote(note)).toThrow(
          expect.objectContaining({ code: 'TLOG_NOTE_INVALID' }),
        );
      });
    }

    it(`rejects more than ${MAX_NOTE_SIGNATURES} signatures`, () => {
      const line = signNote(text, [peter]).slice(text.length + 1);
      expect(() => parseNote(`${text}\n${line.repeat(MAX_NOTE_SIGNATURES + 1)}`)).toThrow(
        /at most 100/,
      );
      expect(
        openNote(`${text}\n${line.repeat(MAX_NOTE_SIGNATURES)}`, [peter]).verified,
      ).toHaveLength(1);
    });
  });

  describe('when signing', () => {
    it('refuses text without a final newline or with control characters', () => {
      expect(() => signNote('no newline', [peter])).toThrow(
        expect.objectContaining({ code: 'TLOG_NOTE_INVALID' }),
      );
      expect(() => signNote('tab\there\n', [peter])).toThrow(/control character/);
    });
    it('refuses a cosignature key, which needs a timestamp', () => {
      const witness = generateNoteKey('w.example', KEY_TYPE_COSIGNATURE_V1);
      expect(() => signNote(text, [witness])).toThrow(/cosign/);
    });
    it('signs with several keys, all verifiable', () => {
      const other = generateNoteKey('other.example');
      const opened = openNote(signNote(text, [peter, other]), [other, peter]);
      expect(opened.verified.map((v) => v.name).sort()).toEqual(['PeterNeumann', 'other.example']);
    });
  });

  it('verifies cosignature/v1 lines with 0x04 keys over their own message, not the note text', () => {
    const witness = parsePrivateKey(vectors.computed_here.witness_key.skey);
    const note = signNote(text, [peter]) + cosign(text, witness, 1_700_000_000);
    const opened = openNote(note, [peter, witness]);
    expect(opened.cosignatures).toEqual([{ witness, timestamp: 1_700_000_000 }]);
    expect(opened.verified).toEqual([peter]);
  });

  it('detects every single-bit flip anywhere in a signed note', () => {
    const original = Buffer.from(signNote(text, [peter]));
    for (let at = 0; at < original.length; at += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const note = Buffer.from(original);
        note[at]! ^= 1 << bit;
        expect(() => openNote(note, [peter])).toThrow(
          expect.objectContaining({
            code: expect.stringMatching(/^TLOG_(NOTE|SIGNATURE)_INVALID$/),
          }),
        );
      }
    }
  });
});
