import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/tlog-vectors.json' with { type: 'json' };
import { parseCheckpoint, signCheckpoint } from './checkpoint.js';
import { parseNote } from './note.js';
import { parseCosignatureLines, verifyCosignature } from './cosignature.js';
import { EMPTY_ROOT, leafHash } from './hash.js';
import { MemoryTree } from './memory-tree.js';
import {
  generateNoteKey,
  KEY_TYPE_COSIGNATURE_V1,
  parsePrivateKey,
  parseVerifierKey,
  type NoteVerifier,
} from './note-key.js';
import { consistencyProof } from './tree.js';
import {
  decideAddCheckpoint,
  formatAddCheckpointRequest,
  MAX_WITNESS_PROOF_LINES,
  parseAddCheckpointRequest,
  type AddCheckpointRequest,
  type WitnessState,
} from './witness.js';

const here = vectors.computed_here;
const logSigner = parsePrivateKey(here.log_key.skey);
const logKey = parseVerifierKey(here.log_key.vkey);
const witness = parsePrivateKey(here.witness_key.skey);
const origin = here.log_key.name;
const NOW = 1_700_000_000;

const tree = new MemoryTree();
for (let i = 0; i < 20; i += 1) tree.append(leafHash(Buffer.from(`entry ${i}`)));
const signedAt = (size: number): string =>
  signCheckpoint({ origin, size, rootHash: tree.root(size), extensions: [] }, logSigner);

/** A witness with an in-memory state, as the server wraps it. */
function witnessWith(state?: WitnessState, known: NoteVerifier = logKey) {
  return (request: string | Uint8Array | AddCheckpointRequest) =>
    decideAddCheckpoint({
      request,
      knownLogs: new Map([[origin, known]]),
      latestSize: (o) => (o === state?.origin ? state.size : undefined),
      latestRoot: (o) => (o === state?.origin ? state.rootHash : undefined),
      witness,
      now: NOW,
    });
}

const stateAt = (size: number): WitnessState => ({
  origin,
  size,
  rootHash: tree.root(size),
  note: signedAt(size),
});
const request = (oldSize: number, size: number): string =>
  formatAddCheckpointRequest({
    oldSize,
    proof: consistencyProof(oldSize, size, tree.read),
    checkpoint: signedAt(size),
  });

describe('tlog-witness add-checkpoint', () => {
  it('parses the spec example request', () => {
    const parsed = parseAddCheckpointRequest(vectors.tlog_witness.add_checkpoint_request_example);
    expect(parsed.oldSize).toBe(20_852_014);
    expect(parsed.proof).toHaveLength(4);
    expect(parseCheckpoint(parseNote(parsed.checkpoint).text).size).toBe(20_852_163);
    expect(formatAddCheckpointRequest(parsed)).toBe(
      vectors.tlog_witness.add_checkpoint_request_example,
    );
  });

  it('refuses to format a request with an impossible old size or proof', () => {
    const invalid = expect.objectContaining({ code: 'TLOG_WITNESS_REQUEST_INVALID' });
    const checkpoint = signedAt(5);
    expect(() => formatAddCheckpointRequest({ oldSize: -1, proof: [], checkpoint })).toThrow(
      invalid,
    );
    expect(() =>
      formatAddCheckpointRequest({ oldSize: 1, proof: [EMPTY_ROOT.subarray(1)], checkpoint }),
    ).toThrow(invalid);
    expect(() =>
      formatAddCheckpointRequest({
        oldSize: 1,
        proof: Array<Buffer>(64).fill(EMPTY_ROOT),
        checkpoint,
      }),
    ).toThrow(invalid);
  });

  it('decides a request given as bytes, and answers 400 to bytes that are not UTF-8', () => {
    expect(witnessWith()(Buffer.from(request(0, 5))).status).toBe(200);
    const bytes = Buffer.from(request(0, 5));
    bytes[bytes.length - 5] = 0xff;
    expect(witnessWith()(bytes).status).toBe(400);
  });

  describe('when everything checks out (200)', () => {
    it('cosigns the first checkpoint from old 0 and returns the state to persist', () => {
      const decision = witnessWith()(request(0, 5));
      expect(decision.status).toBe(200);
      const [line] = parseCosignatureLines(decision.body);
      expect(verifyCosignature(parseNote(signedAt(5)).text, witness, line!.signature)).toBe(NOW);
      expect(decision.newState).toEqual(stateAt(5));
    });

    it('cosigns a consistent extension of the latest checkpoint', () => {
      const decision = witnessWith(stateAt(5))(request(5, 13));
      expect(decision.status).toBe(200);
      expect(decision.newState?.size).toBe(13);
    });

    it('cosigns the same checkpoint again (same size, same root)', () => {
      expect(witnessWith(stateAt(13))(request(13, 13)).status).toBe(200);
    });

    it('cosigns the empty tree', () => {
      const empty = signCheckpoint(
        { origin, size: 0, rootHash: EMPTY_ROOT, extensions: [] },
        logSigner,
      );
      expect(
        witnessWith()(formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: empty }))
          .status,
      ).toBe(200);
    });

    it('produces the computed vector cosignature byte for byte', () => {
      const note = here.checkpoints[0]!.note;
      const eight = new MemoryTree();
      for (const leaf of vectors.reference_tree.leaves_hex)
        eight.append(leafHash(Buffer.from(leaf, 'hex')));
      const decision = decideAddCheckpoint({
        request: formatAddCheckpointRequest({
          oldSize: 5,
          proof: consistencyProof(5, 8, eight.read),
          checkpoint: note,
        }),
        knownLogs: new Map([[origin, logKey]]),
        latestSize: () => 5,
        latestRoot: () => eight.root(5),
        witness,
        now: NOW,
      });
      expect(note + decision.body).toBe(here.checkpoints[1]!.note);
    });
  });

  describe('when the request is malformed (400)', () => {
    const bodies: [string, string][] = [
      ['no old line', `\n${signedAt(5)}`],
      ['a leading zero in the old size', `old 05\n\n${signedAt(5)}`],
      ['a proof line that is not a hash', `old 0\nAAAA\n\n${signedAt(5)}`],
      ['no empty line', 'old 0\n'],
      ['a checkpoint that is not a note', 'old 0\n\nlog\n5\n'],
      [
        'a checkpoint whose text is not a checkpoint',
        `old 0\n\n${signedAt(5).replace('\n5\n', '\nfive\n')}`,
      ],
      [
        '64 proof lines',
        `old 1\n${`${EMPTY_ROOT.toString('base64')}\n`.repeat(MAX_WITNESS_PROOF_LINES + 1)}\n${signedAt(5)}`,
      ],
    ];
    for (const [what, body] of bodies) {
      it(`answers 400 to ${what}`, () => {
        expect(witnessWith()(body).status).toBe(400);
      });
    }

    it('answers 400 when the old size is above the checkpoint size', () => {
      const decision = witnessWith(stateAt(13))(
        formatAddCheckpointRequest({ oldSize: 13, proof: [], checkpoint: signedAt(5) }),
      );
      expect(decision).toMatchObject({
        status: 400,
        body: expect.stringContaining('larger than the checkpoint size 5'),
      });
    });
  });

  it('answers 404 to an unknown origin', () => {
    const other = generateNoteKey('other.example/log');
    const checkpoint = signCheckpoint(
      { origin: other.name, size: 0, rootHash: EMPTY_ROOT, extensions: [] },
      other,
    );
    const decision = witnessWith()(
      formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint }),
    );
    expect(decision.status).toBe(404);
  });

  describe('when the log signature is missing or wrong (403)', () => {
    it('answers 403 to a checkpoint signed by another key with the same name', () => {
      const impostor = generateNoteKey(origin);
      const checkpoint = signCheckpoint(
        { origin, size: 5, rootHash: tree.root(5), extensions: [] },
        impostor,
      );
      expect(
        witnessWith()(formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint })).status,
      ).toBe(403);
    });

    it('answers 403 to a checkpoint whose trusted signature does not verify', () => {
      const forged = signedAt(5).replace(
        tree.root(5).toString('base64'),
        tree.root(6).toString('base64'),
      );
      expect(
        witnessWith()(formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: forged }))
          .status,
      ).toBe(403);
    });

    it('does not accept a cosignature key as the log key', () => {
      const asCosigner = generateNoteKey(origin, KEY_TYPE_COSIGNATURE_V1);
      expect(witnessWith(undefined, asCosigner)(request(0, 5)).status).toBe(403);
    });
  });

  describe('when the old size is not the latest cosigned size (409)', () => {
    it('answers with the latest size as text/x.tlog.size', () => {
      const decision = witnessWith(stateAt(5))(request(3, 13));
      expect(decision).toEqual({ status: 409, body: '5\n', contentType: 'text/x.tlog.size' });
    });

    it('answers 0 when it never cosigned that log', () => {
      expect(witnessWith()(request(5, 13))).toMatchObject({ status: 409, body: '0\n' });
    });
  });

  describe('when the proof does not hold (422)', () => {
    it('answers 422 to a wrong consistency proof', () => {
      const body = formatAddCheckpointRequest({
        oldSize: 5,
        proof: consistencyProof(4, 13, tree.read),
        checkpoint: signedAt(13),
      });
      expect(witnessWith(stateAt(5))(body).status).toBe(422);
    });

    it('answers 422 to a non-empty proof from old size 0', () => {
      const body = formatAddCheckpointRequest({
        oldSize: 0,
        proof: [EMPTY_ROOT],
        checkpoint: signedAt(5),
      });
      expect(witnessWith()(body)).toMatchObject({
        status: 422,
        body: expect.stringContaining('must be empty'),
      });
    });

    it('answers 422 to the same size with a different root', () => {
      const other = { ...stateAt(5), rootHash: tree.root(4) };
      expect(witnessWith(other)(request(5, 5)).status).toBe(422);
    });

    it('answers 422 to size 0 with a root other than SHA-256("")', () => {
      const checkpoint = signCheckpoint(
        { origin, size: 0, rootHash: tree.root(1), extensions: [] },
        logSigner,
      );
      expect(
        witnessWith()(formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint })).status,
      ).toBe(422);
    });

    it('never offers state to persist unless it cosigns', () => {
      expect(witnessWith(stateAt(5))(request(4, 13)).newState).toBeUndefined();
    });
  });
});
