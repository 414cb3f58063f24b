/**
 * What a log's own storage can contradict in its checkpoint row: the size and root columns
 * beside the signed note, and a cosigned note that is not the note the log signed. Both database
 * sources (SQLite, PostgreSQL) check their row the same way before the verifier checks the note.
 */
import { parseCheckpoint } from '../../tlog/checkpoint.js';
import { parseNote } from '../../tlog/note.js';
import { sameHash } from '../../tlog/proof.js';
import { UnverifiedLogError } from './log-source.js';

export interface CheckpointRow {
  size: number;
  root_hash: Buffer;
  note: string;
  cosigned_note: string | null;
}

/** The row's size and root columns must be the signed note's: the note is what verifies. */
export function checkCheckpointRow(description: string, row: CheckpointRow, note: string): void {
  let signed: { size: number; rootHash: Buffer; text: string; plain: string };
  try {
    const text = parseNote(note).text;
    signed = { ...parseCheckpoint(text), text, plain: parseNote(row.note).text };
  } catch {
    return; // the verifier reports the malformed note itself
  }
  if (signed.size !== row.size || !sameHash(signed.rootHash, row.root_hash)) {
    throw new UnverifiedLogError(
      { part: 'checkpoint' },
      `${description}: the log_checkpoint row says size ${row.size}, but its signed note says size ${signed.size} with another root`,
    );
  }
  if (signed.plain !== signed.text) {
    throw new UnverifiedLogError(
      { part: 'checkpoint' },
      `${description}: the cosigned checkpoint is not the checkpoint the log signed`,
    );
  }
}
