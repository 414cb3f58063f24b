/**
 * The dashboard's in-browser verifier (web/src/verify, WebCrypto only) run in Node against a log
 * that nospy's own code builds, signs, cosigns and proves (src/tlog, src/statements): the two
 * implementations must agree on every format, and each tampering must be named.
 */
import { describe, expect, it } from 'vitest';
import {
  preAuthEncoding,
  serializeEnvelope,
  signEnvelope,
  addSignature,
} from '../../src/statements/dsse.js';
import { formatCheckpoint, signCheckpoint } from '../../src/tlog/checkpoint.js';
import { cosign } from '../../src/tlog/cosignature.js';
import { leafHash } from '../../src/tlog/hash.js';
import { MemoryTree } from '../../src/tlog/memory-tree.js';
import {
  generateNoteKey,
  keyHandle,
  KEY_TYPE_COSIGNATURE_V1,
  type NoteSigner,
} from '../../src/tlog/note-key.js';
import { formatTlogProof } from '../../src/tlog/proof-bundle.js';
import { encodeEntryBundle, entriesPath } from '../../src/tlog/tiles.js';
import { inclusionProof } from '../../src/tlog/tree.js';
import { preAuthEncoding as browserPae } from '../../web/src/verify/dsse.js';
import { entryTilePath } from '../../web/src/verify/inclusion.js';
import { parseVerifierKey } from '../../web/src/verify/note-key.js';
import { serverTrust, trustFromKeys } from '../../web/src/verify/trust.js';
import { parseUserTrust } from '../../web/src/verify/user-trust.js';
import { verifyEntry, type LogReader, type Step } from '../../web/src/verify/verify-entry.js';

const ORIGIN = 'log.example/web';
const logKey = generateNoteKey(ORIGIN);
const vendor = generateNoteKey('vendor-a');
const operator = generateNoteKey('operator-b');
const witnesses = [
  generateNoteKey('witness-1', KEY_TYPE_COSIGNATURE_V1),
  generateNoteKey('witness-2', KEY_TYPE_COSIGNATURE_V1),
];
const TIME = 1_780_000_000;

function trustYaml(options: { log?: string; quorum?: number; extraWitness?: string } = {}): string {
  const witnessKeys = [
    ...witnesses.map((w) => w.vkey),
    ...(options.extraWitness === undefined ? [] : [options.extraWitness]),
  ];
  return [
    'parties:',
    `  - { name: Vendor A, role: vendor, keys: ["${vendor.vkey}"] }`,
    `  - { name: Operator B, role: operator, keys: ["${operator.vkey}"] }`,
    `log: { origin: ${ORIGIN}, key: "${options.log ?? logKey.vkey}" }`,
    `witnesses: { quorum: ${String(options.quorum ?? 2)}, keys: [${witnessKeys.map((k) => `{ key: "${k}" }`).join(', ')}] }`,
    '',
  ].join('\n');
}

interface Log {
  readonly entries: Uint8Array[];
  readonly note: string;
  readonly tree: MemoryTree;
}

/** A log of `count` statements, each signed by the vendor and the operator, and its cosigned note. */
function buildLog(
  count: number,
  options: { cosigners?: readonly NoteSigner[]; entry?: (i: number) => Uint8Array } = {},
): Log {
  const tree = new MemoryTree();
  const entries: Uint8Array[] = [];
  for (let i = 0; i < count; i += 1) {
    const payload = Buffer.from(JSON.stringify({ statement: i }));
    const entry =
      options.entry?.(i) ??
      serializeEnvelope(
        addSignature(signEnvelope('application/vnd.in-toto+json', payload, vendor), operator),
      );
    entries.push(entry);
    tree.append(leafHash(entry));
  }
  const text = formatCheckpoint({
    origin: ORIGIN,
    size: count,
    rootHash: tree.root(),
    extensions: [],
  });
  let note = signCheckpoint(
    { origin: ORIGIN, size: count, rootHash: tree.root(), extensions: [] },
    logKey,
  );
  for (const w of options.cosigners ?? witnesses) note += cosign(text, w, TIME);
  return { entries, note, tree };
}

function readerOf(log: Log, edit: { note?: (note: string) => string } = {}): LogReader {
  const { tree } = log;
  const size = log.entries.length;
  return {
    proof: (index) =>
      Promise.resolve(
        formatTlogProof({
          index,
          proof: inclusionProof(index, size, tree.read),
          checkpoint: edit.note?.(log.note) ?? log.note,
        }),
      ),
    tile: (path) => {
      for (let n = 0; n * 256 < size; n += 1) {
        const width = Math.min(256, size - n * 256);
        if (entriesPath(n, width) === path) {
          return Promise.resolve(encodeEntryBundle(log.entries.slice(n * 256, n * 256 + width)));
        }
      }
      return Promise.reject(new Error(`no tile ${path}`));
    },
  };
}

async function run(
  log: Log,
  trustText: string,
  index = 0,
  edit?: { note?: (note: string) => string },
) {
  const trust = await parseUserTrust(trustText, 'trust.yaml');
  const steps: Step[] = [];
  const verdict = await verifyEntry(index, trust, readerOf(log, edit), (s) => steps.push(s));
  return { verdict, steps };
}

describe('an entry of a log that nospy signed and two witnesses cosigned', () => {
  const log = buildLog(300);

  it.each([0, 255, 256, 299])(
    'verifies entry %i independently against the trust file',
    async (index) => {
      const { verdict, steps } = await run(log, trustYaml(), index);
      expect(steps.filter((s) => s.status === 'bad')).toEqual([]);
      expect(verdict.verified).toBe(true);
      expect(verdict.independent).toBe(true);
      expect(verdict.text).toContain(`signed by the log key ${keyHandle(logKey)}`);
      expect(verdict.text).toContain('cosigned by 2 of 2 witnesses');
      expect(verdict.text).toContain('Vendor A (vendor');
      expect(verdict.text).toContain('Operator B (operator');
    },
  );

  it('finds each data tile at the path nospy serves it', () => {
    for (const [index, size] of [
      [0, 1],
      [255, 256],
      [256, 300],
      [70_000, 1_000_000],
    ] as const) {
      const n = Math.floor(index / 256);
      expect(entryTilePath(index, size)).toBe(entriesPath(n, Math.min(256, size - n * 256)));
    }
  });

  it('computes the same DSSE pre-authentication encoding as the signer', () => {
    const body = Buffer.from('{"ü":1}');
    expect(Buffer.from(browserPae('application/vnd.ü+json', body))).toEqual(
      preAuthEncoding('application/vnd.ü+json', body),
    );
  });

  describe('when a witness cosignature was altered', () => {
    it('fails, naming the witness', async () => {
      const line = log.note.split('\n').find((l) => l.startsWith('— witness-2 ')) ?? '';
      const bytes = Buffer.from(line.split(' ')[2] ?? '', 'base64');
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
      const forged = `— witness-2 ${bytes.toString('base64')}`;
      const { verdict } = await run(log, trustYaml(), 0, { note: (n) => n.replace(line, forged) });
      expect(verdict.verified).toBe(false);
      expect(verdict.text).toContain(
        `the cosignature by witness ${keyHandle(witnesses[1]!)} fails`,
      );
    });

    it('fails when only the time was changed: the time is signed', async () => {
      const line = log.note.split('\n').find((l) => l.startsWith('— witness-1 ')) ?? '';
      const bytes = Buffer.from(line.split(' ')[2] ?? '', 'base64');
      bytes.writeBigUInt64BE(BigInt(TIME + 1), 4);
      const forged = `— witness-1 ${bytes.toString('base64')}`;
      const { verdict } = await run(log, trustYaml(), 0, { note: (n) => n.replace(line, forged) });
      expect(verdict.text).toContain(
        `the cosignature by witness ${keyHandle(witnesses[0]!)} fails`,
      );
    });
  });

  describe('when a cosignature is missing', () => {
    it('fails naming the quorum and the witness', async () => {
      const { verdict } = await run(log, trustYaml(), 0, {
        note: (n) =>
          n
            .split('\n')
            .filter((l) => !l.startsWith('— witness-2 '))
            .join('\n'),
      });
      expect(verdict.text).toMatch(
        /^NOT VERIFIED: the witness quorum is not met: 1 of 2 witnesses/,
      );
      expect(verdict.text).toContain(
        `a quorum of 2 (no valid cosignature by ${keyHandle(witnesses[1]!)})`,
      );
    });

    it('verifies when the trust file asks for one of the two', async () => {
      const { verdict } = await run(log, trustYaml({ quorum: 1 }), 0, {
        note: (n) =>
          n
            .split('\n')
            .filter((l) => !l.startsWith('— witness-2 '))
            .join('\n'),
      });
      expect(verdict.verified).toBe(true);
      expect(verdict.text).toContain('cosigned by 1 of 2 witnesses');
    });
  });

  describe('when the log key is another key of the same name', () => {
    it('fails naming the key', async () => {
      const other = generateNoteKey(ORIGIN);
      const { verdict } = await run(log, trustYaml({ log: other.vkey }));
      expect(verdict.text).toMatch(
        /^NOT VERIFIED: the checkpoint carries no signature by the log key/,
      );
      expect(verdict.text).toContain(keyHandle(other));
    });
  });

  describe('when the log key is named for another log', () => {
    it('fails naming the origin and the key, as the CLI does', async () => {
      const other = generateNoteKey('log.example/other');
      const text = trustYaml({ log: other.vkey }).replace(`origin: ${ORIGIN}, `, '');
      const { verdict } = await run(log, text);
      expect(verdict.text).toContain(
        `the checkpoint's origin "${ORIGIN}" is not the name of the log key ${keyHandle(other)}`,
      );
    });
  });

  describe('when the log signature line carries the right key ID over other bytes', () => {
    it('fails at the log signature', async () => {
      const line = log.note.split('\n').find((l) => l.startsWith(`— ${ORIGIN} `)) ?? '';
      const bytes = Buffer.from(line.split(' ')[2] ?? '', 'base64');
      bytes[10] = (bytes[10] ?? 0) ^ 1;
      const { verdict } = await run(log, trustYaml(), 0, {
        note: (n) => n.replace(line, `— ${ORIGIN} ${bytes.toString('base64')}`),
      });
      expect(verdict.text).toContain(`the signature by the log key ${keyHandle(logKey)}`);
      expect(verdict.text).toContain('fails');
    });
  });
});

describe('a logged envelope whose signature does not verify', () => {
  it('fails at the statement signature, naming the signer', async () => {
    const good = signEnvelope('application/vnd.in-toto+json', Buffer.from('{"a":1}'), vendor);
    const sig = Buffer.from(good.signatures[0]!.sig);
    sig[0] = (sig[0] ?? 0) ^ 1;
    const log = buildLog(3, {
      entry: () => serializeEnvelope({ ...good, signatures: [{ keyid: keyHandle(vendor), sig }] }),
    });
    const { verdict } = await run(log, trustYaml(), 1);
    expect(verdict.text).toContain(
      `the statement signature by Vendor A (vendor, ${keyHandle(vendor)})`,
    );
    expect(verdict.text).toContain('fails');
  });
});

describe('an entry index that is not one', () => {
  it.each([Number.NaN, -1, 1.5])('is refused before anything is fetched (%s)', async (index) => {
    const log = buildLog(2);
    const verdict = await verifyEntry(
      index,
      await parseUserTrust(trustYaml(), 'trust.yaml'),
      readerOf(log),
      () => undefined,
    );
    expect(verdict.text).toBe('NOT VERIFIED: the entry index is not a whole number from 0');
  });
});

describe('a log of raw entries', () => {
  it('verifies the inclusion and says there is no statement to check', async () => {
    const log = buildLog(5, { entry: (i) => Buffer.from(`entry ${String(i)}\n`) });
    const { verdict, steps } = await run(log, trustYaml(), 4);
    expect(verdict.verified).toBe(true);
    expect(steps.some((s) => s.detail.includes('not a DSSE envelope'))).toBe(true);
  });
});

describe('pasted verifier keys', () => {
  const log = buildLog(4);
  it('take the key named like the origin as the log key and demand every pasted witness', async () => {
    const keys = await Promise.all(
      [vendor.vkey, logKey.vkey, witnesses[0]!.vkey, witnesses[1]!.vkey].map(parseVerifierKey),
    );
    const steps: Step[] = [];
    const verdict = await verifyEntry(2, trustFromKeys(keys), readerOf(log), (s) => steps.push(s));
    expect(verdict.verified).toBe(true);
    expect(verdict.independent).toBe(true);
    expect(verdict.text).toContain('quorum 2');
    expect(verdict.text).toContain(`signed by ${keyHandle(vendor)}`);
  });

  it('fail when none is named like the origin', async () => {
    const keys = await Promise.all([vendor.vkey].map(parseVerifierKey));
    const verdict = await verifyEntry(0, trustFromKeys(keys), readerOf(log), () => undefined);
    expect(verdict.text).toContain(`is a key named "${ORIGIN}"`);
  });
});

describe('the server’s own key', () => {
  it('verifies, but every word of the verdict says it is not independent', async () => {
    const log = buildLog(4);
    const steps: Step[] = [];
    const trust = serverTrust(await parseVerifierKey(logKey.vkey));
    const verdict = await verifyEntry(1, trust, readerOf(log), (s) => steps.push(s));
    expect(verdict.verified).toBe(true);
    expect(verdict.independent).toBe(false);
    expect(verdict.text).toMatch(/^VERIFIED, but NOT INDEPENDENT/);
    expect(steps.filter((s) => s.key !== undefined).every((s) => s.key?.source === 'server')).toBe(
      true,
    );
    expect(steps.find((s) => s.what === 'Witness quorum')?.status).toBe('warn');
  });
});

describe('a trust file', () => {
  it.each([
    [trustYaml().replace('parties:', 'extra: 1\nparties:'), 'unknown field "extra"'],
    [trustYaml({ quorum: 3 }), 'witnesses.quorum is 3 but only 2 witness keys are listed'],
    [trustYaml({ extraWitness: vendor.vkey }), 'witnesses.keys[2].key is a type 0x01 key'],
    [trustYaml({ log: witnesses[0]!.vkey }), 'log.key is a type 0x04 key'],
    [trustYaml().replace(operator.vkey, vendor.vkey), 'is already a key of party "Vendor A"'],
    [trustYaml().replace(/\+[0-9a-f]{8}\+/, '+00000000+'), 'the key ID does not match the key'],
  ])('is refused with a message naming the field (%#)', async (text, message) => {
    await expect(parseUserTrust(text, 'trust.yaml')).rejects.toThrow(message);
  });
});
