import { describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../tlog/checkpoint.js';
import { generateNoteKey } from '../../tlog/note-key.js';
import { openWatermark, signWatermark } from './watermark.js';

const key = generateNoteKey('log.example/watermark');
const mark = {
  origin: key.name,
  size: 1_000_000,
  rootHash: Buffer.alloc(32, 9),
  fullAuditAt: 1_800_000_000,
};

describe('the audit watermark', () => {
  it('opens under the log key that signed it', () => {
    expect(openWatermark(signWatermark(mark, key), key)).toEqual(mark);
  });

  describe('when it was signed by another key, or changed', () => {
    it('does not open (the server then audits everything)', () => {
      const other = generateNoteKey('log.example/watermark');
      expect(openWatermark(signWatermark(mark, other), key)).toBeUndefined();
      const note = signWatermark(mark, key).replace('\n1000000\n', '\n1000001\n');
      expect(openWatermark(note, key)).toBeUndefined();
    });
  });

  describe('when it is presented as a checkpoint', () => {
    it('is refused: its first line is a label, not the origin', () => {
      expect(() => openCheckpoint(signWatermark(mark, key), key)).toThrow(
        expect.objectContaining({ code: 'TLOG_CHECKPOINT_INVALID' }),
      );
    });
  });
});
