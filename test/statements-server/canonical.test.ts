/**
 * The log keeps one canonical copy of a statement: variants of a logged envelope that differ only
 * in what nobody signed (keyid hints, signature order) or that drop a countersignature are
 * answered with the logged entry; a signature no trusted key verifies is refused; a late
 * countersignature is logged once, as a new entry naming the one it extends. Regression: every
 * such variant used to become a new log entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSignature,
  parseEnvelope,
  serializeEnvelope,
  type Envelope,
} from '../../src/statements/dsse.js';
import { verifyBundle } from '../../src/statements/bundle.js';
import { loadStatementFile } from '../../src/statements/files.js';
import { RELEASE_PREDICATE_TYPE } from '../../src/statements/predicates/release.js';
import { signStatement } from '../../src/statements/sign.js';
import { keyHandle, generateNoteKey } from '../../src/tlog/note-key.js';
import {
  EXAMPLES,
  key,
  postStatement,
  signedExample,
  startServer,
  tempDir,
  type RunningServer,
} from './helpers.js';

let temp: ReturnType<typeof tempDir>;
let server: RunningServer;

beforeAll(async () => {
  temp = tempDir('nospy-canonical-');
  server = await startServer({ dir: temp.dir });
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

const size = (): number => server.log.sequencer.checkpoint.size;

interface Answer {
  readonly index: number;
  readonly leafHash: string;
  readonly proof: string;
  readonly extends?: number;
}

async function post(envelope: Envelope | string): Promise<{ status: number; body: unknown }> {
  const response = await postStatement(
    server.url,
    typeof envelope === 'string' ? envelope : serializeEnvelope(envelope),
  );
  return { status: response.status, body: await response.json() };
}

function withSignatures(envelope: Envelope, signatures: Envelope['signatures']): Envelope {
  return { ...envelope, signatures };
}

async function logged(
  index: number,
): Promise<{ extends?: number; envelope: { signatures: { keyid: string }[] } }> {
  const response = await fetch(`${server.url}/v1/statements/${index}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    extends?: number;
    envelope: { signatures: { keyid: string }[] };
  };
}

describe('POST /v1/statements keeps one canonical copy of a statement', () => {
  let grant: Answer;
  const access = signedExample('access');

  beforeAll(async () => {
    const first = await post(access);
    expect(first.status).toBe(200);
    grant = first.body as Answer;
  });

  it.each<[string, () => Envelope | string]>([
    [
      'its keyid hints changed',
      () =>
        withSignatures(
          access,
          access.signatures.map((s, i) => ({ ...s, keyid: `hint-of-nobody-${i}` })),
        ),
    ],
    [
      'its keyid hints left empty',
      () =>
        withSignatures(
          access,
          access.signatures.map((s) => ({ ...s, keyid: '' })),
        ),
    ],
    [
      'its signatures in the other order',
      () => withSignatures(access, [...access.signatures].reverse()),
    ],
    [
      'whitespace and field order changed',
      () =>
        JSON.stringify(
          {
            signatures: [...access.signatures]
              .reverse()
              .map((s) => ({ sig: s.sig.toString('base64'), keyid: s.keyid })),
            payloadType: access.payloadType,
            payload: access.payload.toString('base64'),
          },
          null,
          2,
        ),
    ],
  ])('answers the envelope with %s with the logged entry, adding none', async (_what, variant) => {
    const before = size();
    const { status, body } = await post(variant());
    expect(status).toBe(200);
    expect(body).toMatchObject({ index: grant.index, leafHash: grant.leafHash });
    expect((body as Answer).extends).toBeUndefined();
    expect(size()).toBe(before);
  });

  it('stores each keyid as the handle of the key that verified it, never the hint', async () => {
    await post(
      withSignatures(
        access,
        access.signatures.map((s) => ({ ...s, keyid: '' })),
      ),
    );
    const entry = await logged(grant.index);
    expect(entry.envelope.signatures.map((s) => s.keyid)).toEqual(
      [keyHandle(key('acme-vendor')), keyHandle(key('telco-operator'))].sort(),
    );
  });

  it('refuses an extra signature that no trusted key verifies (422), adding nothing', async () => {
    const before = size();
    const { status, body } = await post(
      addSignature(access, generateNoteKey('stranger.example/k')),
    );
    expect(status).toBe(422);
    expect((body as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'STATEMENT_SIGNATURE_UNTRUSTED',
      message: expect.stringContaining('signature 2') as unknown,
    });
    expect(size()).toBe(before);
  });

  describe('when a release is countersigned after it was logged', () => {
    const release = signedExample('release');
    const countersigned = addSignature(release, key('audit-auditor'));
    let first: Answer;
    let second: Answer;

    beforeAll(async () => {
      first = (await post(release)).body as Answer;
      const before = size();
      const answer = await post(countersigned);
      expect(answer.status).toBe(200);
      second = answer.body as Answer;
      // The joined envelope, and the Sigstore entry of the new signature only: the first
      // signature's entry is in the log already.
      const newSignatures = countersigned.signatures.length - release.signatures.length;
      expect(size()).toBe(before + 1 + newSignatures);
    });

    it('logs it once more, as a new entry naming the one it extends', async () => {
      expect(second.index).toBeGreaterThan(first.index);
      expect(second.extends).toBe(first.index);
      const entry = await logged(second.index);
      expect(entry.extends).toBe(first.index);
      expect(entry.envelope.signatures).toHaveLength(2);
      expect((await logged(first.index)).extends).toBeUndefined();
      const listed = (await (await fetch(`${server.url}/v1/statements?type=release`)).json()) as {
        statements: { index: number; extends?: number }[];
      };
      expect(listed.statements.find((s) => s.index === second.index)?.extends).toBe(first.index);
    });

    it('answers the countersigned envelope again, and the one without the countersignature, with the newest entry', async () => {
      const before = size();
      for (const variant of [
        countersigned,
        release,
        withSignatures(countersigned, [...countersigned.signatures].reverse()),
      ]) {
        const { status, body } = await post(variant);
        expect(status).toBe(200);
        expect((body as Answer).index).toBe(second.index);
      }
      expect(size()).toBe(before);
    });

    it('keeps the new entry a DSSE envelope that verifies with its proof', async () => {
      const { body } = await post(countersigned);
      const entry = (await logged(second.index)).envelope;
      const verified = verifyBundle(
        { envelope: parseEnvelope(JSON.stringify(entry)), proof: (body as Answer).proof },
        server.trust,
        { now: new Date() },
      );
      expect(verified.valid).toBe(true);
    });
  });
});

describe('many distinct statements posted at once', () => {
  it('are all logged: placing each beside the writer never fails on a locked database', async () => {
    const { statement } = loadStatementFile(`${EXAMPLES}statements/release.yaml`);
    if (statement.predicateType !== RELEASE_PREDICATE_TYPE) throw new Error('not a release');
    const bodies = Array.from({ length: 160 }, (_, i) =>
      serializeEnvelope(
        signStatement(
          { ...statement, predicate: { ...statement.predicate, version: `9.${i}` } },
          key('acme-vendor'),
        ),
      ),
    );
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let body = bodies[next++]; body !== undefined; body = bodies[next++]) {
          const response = await postStatement(server.url, body);
          statuses.push(response.status);
          await response.arrayBuffer();
        }
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });
});
