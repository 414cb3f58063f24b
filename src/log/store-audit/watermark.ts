/**
 * The audit watermark: "this log's tree up to `size`, with root `rootHash`, was audited in full
 * (every entry, every tile, the signed checkpoint); the last audit that started from entry 0 ran
 * at `fullAuditAt`". A server keeps it so that a restart re-audits only what came after. It is
 * signed with the log key, as a signed note whose first line is a fixed label rather than the
 * origin — so it can never be read as a checkpoint (c2sp.org/tlog-checkpoint: the first line is
 * the origin, the key's name) — and whoever can write the database cannot forge one. A watermark
 * that does not verify is ignored: the server then audits everything.
 */
import { HASH_SIZE } from '../../tlog/hash.js';
import type { NoteSigner, NoteVerifier } from '../../tlog/note-key.js';
import { openNote, signNote } from '../../tlog/note.js';
import { decodeBase64Strict } from '../../tlog/signature-line.js';

export const WATERMARK_LABEL = 'nospy-audit-watermark/v1';

export interface AuditWatermark {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  /** Unix seconds of the last audit that covered the whole tree. */
  readonly fullAuditAt: number;
}

export function signWatermark(mark: AuditWatermark, signer: NoteSigner): string {
  const text = [
    WATERMARK_LABEL,
    mark.origin,
    String(mark.size),
    mark.rootHash.toString('base64'),
    String(mark.fullAuditAt),
  ].join('\n');
  return signNote(`${text}\n`, [signer]);
}

const DECIMAL = /^(?:0|[1-9][0-9]{0,15})$/;

/** The watermark in `note` if the log key signed it for this origin; undefined otherwise. */
export function openWatermark(note: string, verifier: NoteVerifier): AuditWatermark | undefined {
  let text: string;
  try {
    const opened = openNote(note, [verifier]);
    if (!opened.verified.includes(verifier)) return undefined;
    text = opened.text;
  } catch {
    return undefined;
  }
  const [label, origin, size, root, at, ...rest] = text.slice(0, -1).split('\n');
  const rootHash = decodeBase64Strict(root ?? '');
  if (
    label !== WATERMARK_LABEL ||
    origin !== verifier.name ||
    rest.length > 0 ||
    !DECIMAL.test(size ?? '') ||
    !DECIMAL.test(at ?? '') ||
    rootHash?.length !== HASH_SIZE
  ) {
    return undefined;
  }
  return { origin, size: Number(size), rootHash, fullAuditAt: Number(at) };
}
