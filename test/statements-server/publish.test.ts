import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_SIGNATURE_HEADER, signBlobUpload } from '../../src/blobs/upload-signature.js';
import { serializeEnvelope, MAX_ENVELOPE_BYTES } from '../../src/statements/dsse.js';
import { verifyTlogProof } from '../../src/tlog/proof-bundle.js';
import { leafHash } from '../../src/tlog/hash.js';
import { verifyBundle } from '../../src/statements/bundle.js';
import { StatementClient } from '../../src/statements/client.js';
import { listLoggedStatements } from '../../src/statements/log-index.js';
import { SqliteLogStore } from '../../src/store/sqlite/sqlite-log-store.js';
import {
  EXAMPLE_NAMES,
  postStatement,
  signedExample,
  startServer,
  tempDir,
  type RunningServer,
} from './helpers.js';
import { join } from 'node:path';
import { loadStatementFile } from '../../src/statements/files.js';
import { signStatement } from '../../src/statements/sign.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { EXAMPLES, key } from './helpers.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../src/statements/predicates/agreement.js';

let temp: ReturnType<typeof tempDir>;
let server: RunningServer;
const published = new Map<string, { index: number; leafHash: string; proof: string }>();

beforeAll(async () => {
  temp = tempDir();
  server = await startServer({ dir: temp.dir });
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

function size(): Promise<number> {
  return Promise.resolve(server.log.sequencer.checkpoint.size);
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('POST /v1/statements on a real server', () => {
  it.each(EXAMPLE_NAMES)(
    'publishes the example %s and answers a tlog-proof that verifies',
    async (name) => {
      const envelope = signedExample(name);
      const entry = serializeEnvelope(envelope);
      const response = await postStatement(server.url, entry);
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        index: number;
        leafHash: string;
        proof: string;
        type: string;
      };
      expect(body.type).toBe(name);
      expect(body.leafHash).toBe(leafHash(entry).toString('hex'));
      const verified = verifyTlogProof(body.proof, { entry }, server.logKey);
      expect(verified.index).toBe(body.index);
      expect(
        verifyBundle({ envelope, proof: body.proof }, server.trust, { now: new Date() }).valid,
      ).toBe(true);
      published.set(name, body);
    },
  );

  it('answers a duplicate with the index of its first copy, without growing the tree', async () => {
    const before = await size();
    const response = await postStatement(server.url, serializeEnvelope(signedExample('release')));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { index: number }).index).toBe(
      published.get('release')?.index,
    );
    expect(await size()).toBe(before);
  });

  describe('when the envelope is rejected (422), the tree is unchanged', () => {
    const cases: [string, () => string | Buffer, string][] = [
      [
        'a grant missing its operator signature',
        () => serializeEnvelope(signedExample('access', ['acme-vendor'])),
        'signer: access grant "GRANT-2026-0042" is missing its operator signature',
      ],
      [
        'a release signed by a party in the wrong role',
        () => serializeEnvelope(signedExample('release', ['telco-operator'])),
        'signer: wrong role: a release must be signed by its vendor "acme", but it is signed only by the operator "telco"',
      ],
      [
        'a rebuild attestation signed by a key that is not an evaluator (the vendor)',
        () => serializeEnvelope(signedExample('rebuild', ['acme-vendor'])),
        'signer: wrong role: a rebuild must be signed by its evaluator "lab", but it is signed only by the vendor "acme"',
      ],
    ];
    it.each(cases)('rejects %s with the precise message', async (_what, body, message) => {
      const before = await size();
      const response = await postStatement(server.url, body());
      expect(response.status).toBe(422);
      const error = await errorOf(response);
      expect(error.code).toBe('STATEMENT_REJECTED');
      expect(error.message).toContain(message);
      expect(await size()).toBe(before);
    });

    it('refuses a statement signed by an unknown key with STATEMENT_SIGNATURE_UNTRUSTED', async () => {
      const { statement } = loadStatementFile(`${EXAMPLES}statements/release.yaml`);
      const before = await size();
      const response = await postStatement(
        server.url,
        serializeEnvelope(signStatement(statement, generateNoteKey('stranger.example/k'))),
      );
      expect(response.status).toBe(422);
      const error = await errorOf(response);
      expect(error.code).toBe('STATEMENT_SIGNATURE_UNTRUSTED');
      expect(error.message).toContain('signature 0 (keyid "stranger.example/k+');
      expect(await size()).toBe(before);
    });

    it('rejects an expired agreement naming its end date', async () => {
      const { statement } = loadStatementFile(`${EXAMPLES}statements/agreement.yaml`);
      if (statement.predicateType !== AGREEMENT_PREDICATE_TYPE) throw new Error('not an agreement');
      const expired = {
        ...statement,
        predicate: {
          ...statement.predicate,
          validity: { from: '2020-01-01', until: '2021-12-31' },
        },
      };
      let envelope = signStatement(expired, key('acme-vendor'));
      const { addSignature } = await import('../../src/statements/dsse.js');
      envelope = addSignature(envelope, key('telco-operator'));
      const before = await size();
      const response = await postStatement(server.url, serializeEnvelope(envelope));
      expect(response.status).toBe(422);
      expect((await errorOf(response)).message).toContain(
        'validity: agreement "ACME-TELCO-2026-001" expired: valid until 2021-12-31',
      );
      expect(await size()).toBe(before);
    });
  });

  it('answers 400 STATEMENT_ENVELOPE_INVALID to a body that is not an envelope', async () => {
    for (const body of ['', 'not json', '{"payload":"", "payloadType":"x"}', '[]']) {
      const before = await size();
      const response = await postStatement(server.url, body);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe('STATEMENT_ENVELOPE_INVALID');
      expect(await size()).toBe(before);
    }
  });

  it('answers 413 STATEMENT_ENVELOPE_TOO_LARGE above 256 KiB, and above 65,535 bytes canonical', async () => {
    const before = await size();
    const huge = await postStatement(server.url, Buffer.alloc(MAX_ENVELOPE_BYTES + 1, 0x20));
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).code).toBe('STATEMENT_ENVELOPE_TOO_LARGE');
    // A canonical envelope over the log's entry bound: a valid-looking 70 KB payload.
    const envelope = signedExample('release');
    const big = { ...envelope, payload: Buffer.alloc(70_000, 0x41) };
    const text = JSON.stringify({
      payload: big.payload.toString('base64'),
      payloadType: big.payloadType,
      signatures: big.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig.toString('base64') })),
    });
    const canonical = await postStatement(server.url, text);
    expect(canonical.status).toBe(413);
    expect((await errorOf(canonical)).code).toBe('STATEMENT_ENVELOPE_TOO_LARGE');
    expect(await size()).toBe(before);
  });
});

describe('GET /v1/statements', () => {
  const client = (): StatementClient => new StatementClient(server.url);

  it('lists every published statement by log index, with its envelope', async () => {
    const { statements } = await client().list();
    expect(statements.map((s) => s.type).sort()).toEqual([...EXAMPLE_NAMES].sort());
    for (const s of statements) {
      expect(s.index).toBe(published.get(s.type)?.index);
      expect(leafHash(serializeEnvelope(s.envelope)).toString('hex')).toBe(s.leafHash);
    }
  });

  it('filters by type (short name or predicateType), vendor and subject digest', async () => {
    expect((await client().list({ type: 'release' })).statements.map((s) => s.index)).toEqual([
      published.get('release')?.index,
    ]);
    expect(
      (await client().list({ type: 'https://nospy.dev/predicates/canary/v1' })).statements.map(
        (s) => s.type,
      ),
    ).toEqual(['canary']);
    const acme = (await client().list({ vendor: 'acme' })).statements.map((s) => s.type).sort();
    // The deployment names the device's vendor too, and a rebuild the vendor of its release.
    expect(acme).toEqual(['access', 'agreement', 'canary', 'deployment', 'rebuild', 'release']);
    expect((await client().list({ vendor: 'nobody' })).statements).toEqual([]);
    const release = (await client().list({ type: 'release' })).statements[0];
    const subject = release?.subjects[0] ?? '';
    const bySubject = (await client().list({ subject })).statements.map((s) => s.type);
    expect(bySubject).toContain('release');
    // The rebuild attestation's subject is the released image.
    expect(bySubject).toContain('rebuild');
    expect(bySubject).not.toContain('canary');
  });

  it('pages with limit and from', async () => {
    const first = await client().list({ limit: 2 });
    expect(first.statements).toHaveLength(2);
    expect(first.next).not.toBeNull();
    const second = await client().list({ limit: 2, from: first.next ?? 0 });
    expect(second.statements[0]?.index).toBe(first.next);
  });

  it('answers 400 to an unknown parameter, type or a malformed subject', async () => {
    for (const query of [
      '?nope=1',
      '?type=firmware',
      '?subject=sha256:ABC',
      '?limit=0',
      '?from=-1',
    ]) {
      const response = await fetch(`${server.url}/v1/statements${query}`);
      expect(response.status).toBe(400);
    }
  });

  it('answers one statement with its current proof at GET /v1/statements/<index>, 404 otherwise', async () => {
    const index = published.get('access')?.index ?? -1;
    const one = await client().get(index);
    expect(one.type).toBe('access');
    const entry = serializeEnvelope(one.envelope);
    expect(verifyTlogProof(one.proof, { entry }, server.logKey).index).toBe(index);
    expect((await fetch(`${server.url}/v1/statements/999999`)).status).toBe(404);
    expect((await fetch(`${server.url}/v1/statements/x1`)).status).toBe(400);
  });

  it('finds an envelope by its leaf hash', async () => {
    const found = await client().find(signedExample('deployment'));
    expect(found.index).toBe(published.get('deployment')?.index);
  });

  it('lists the same statements from the data directory (listLoggedStatements)', async () => {
    const store = new SqliteLogStore(join(temp.dir, 'data'));
    try {
      const listed = await listLoggedStatements(store, { type: 'canary' });
      expect(listed.map((s) => s.index)).toEqual([published.get('canary')?.index]);
    } finally {
      await store.close();
    }
  });
});

describe('the blob store on the log server', () => {
  it('stores a document a vendor of the trust file signed by digest and serves it back', async () => {
    const { createHash } = await import('node:crypto');
    const sbom = Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.6"}');
    const hex = createHash('sha256').update(sbom).digest('hex');
    const digest = `sha256:${hex}`;
    const unsigned = await fetch(`${server.url}/v1/blobs/${digest}`, { method: 'PUT', body: sbom });
    expect(unsigned.status).toBe(401);
    const put = await fetch(`${server.url}/v1/blobs/${digest}`, {
      method: 'PUT',
      body: sbom,
      headers: { [BLOB_SIGNATURE_HEADER]: signBlobUpload(key('acme-vendor'), hex) },
    });
    expect(put.status).toBe(201);
    const got = await fetch(`${server.url}/v1/blobs/${digest}`);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(sbom);
  });
});

describe('when the server requires a statement token as well', () => {
  it('answers 401 without it and accepts the envelope with it', async () => {
    const dir = tempDir();
    const guarded = await startServer({ dir: dir.dir, statementToken: 'operator-secret' });
    try {
      const body = serializeEnvelope(signedExample('canary'));
      expect((await postStatement(guarded.url, body)).status).toBe(401);
      const ok = await postStatement(guarded.url, body, {
        authorization: 'Bearer operator-secret',
      });
      expect(ok.status).toBe(200);
    } finally {
      await guarded.close();
      dir.remove();
    }
  });
});
