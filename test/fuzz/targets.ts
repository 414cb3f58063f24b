/**
 * Every parser that takes outside bytes, as a fuzz target: seeds from the real fixtures, and a
 * run that hands it one input. A NospyError is the parser saying "no" and is fine; anything else
 * thrown is a crash. Targets that read files (firmware images, zips, inventories, packs) get the
 * input written to a scratch file and go through their public entry point.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACME_IMAGE, GLOBEX_IMAGE } from '../../src/demo/images.js';
import { scanFirmware } from '../../src/firmware/scan.js';
import { deepStrictEqual } from 'node:assert/strict';
import { decodeFlowBatch, encodeFlowBatch } from '../../src/flows/flow-batch.js';
import { FlowDecoder } from '../../src/flows/flow-decoder.js';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import { readCapture, type CaptureCounters } from '../../src/flows/pcap.js';
import { readZeekConnLog } from '../../src/flows/zeek.js';
import { loadInventory } from '../../src/inventory/load.js';
import { parseMudText } from '../../src/mud/parse.js';
import { parseOsvDocument } from '../../src/osv/load.js';
import { readZipEntries } from '../../src/osv/zip-reader.js';
import { lintPack } from '../../src/policy/load.js';
import { readSbomText } from '../../src/sbom/read-sbom.js';
import { parseBundle } from '../../src/statements/bundle.js';
import { parseEnvelope, serializeEnvelope, signEnvelope } from '../../src/statements/dsse.js';
import { parseTrustFile } from '../../src/statements/trust.js';
import { parseCheckpoint, signCheckpoint } from '../../src/tlog/checkpoint.js';
import { parsePrivateKey } from '../../src/tlog/note-key.js';
import { parseNote } from '../../src/tlog/note.js';
import { formatTlogProof, parseTlogProof } from '../../src/tlog/proof-bundle.js';
import { cleanTree, pack, writeTree, type PackFormat } from '../firmware/images.js';
import { buildZip } from '../osv/zip-builder.js';
import { HTTP_TARGETS } from './http-targets.js';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures');
const SHARED = '/work/shared/fixtures';
/** Seeds larger than this are left out: mutation explores small inputs faster. */
const MAX_SEED_BYTES = 64 * 1024;

export interface FuzzTarget {
  readonly name: string;
  /** Real inputs the mutations start from. */
  seeds(): Buffer[];
  /** Hands one input to the parser; `scratch` is a file path the target may write. */
  run(input: Buffer, scratch: string): void | Promise<void>;
}

function filesUnder(dirs: readonly string[], pattern: RegExp): Buffer[] {
  const out: Buffer[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (pattern.test(name) && stat.size <= MAX_SEED_BYTES) out.push(readFileSync(path));
    }
  };
  for (const dir of dirs) walk(dir);
  return out;
}

const LOG_KEY = parsePrivateKey(
  readFileSync(join(ROOT, 'examples/keys/example-log.key'), 'utf8').trim(),
);

function checkpointNote(size: number): string {
  return signCheckpoint(
    { origin: 'example-log', size, rootHash: Buffer.alloc(32, size), extensions: [] },
    LOG_KEY,
  );
}

function captureDatagrams(): Buffer[] {
  const out: Buffer[] = [];
  for (const pcap of filesUnder([join(FIXTURES, 'flows/pcap')], /\.pcap$/)) {
    const counters: CaptureCounters = { frames: 0, udp: 0, skipped: 0, truncatedBytes: 0 };
    for (const d of readCapture(pcap, 'seed', counters)) {
      out.push(Buffer.from(d.payload));
      if (out.length % 8 === 0) break;
    }
  }
  return [...out, ...filesUnder([join(FIXTURES, 'flows/raw'), join(SHARED, 'flows')], /\.dat$/)];
}

/** The demo's images and every container the test builders make with the tools present. */
function firmwareImages(): Buffer[] {
  const images = [ACME_IMAGE, GLOBEX_IMAGE];
  const root = writeTree(cleanTree());
  const formats: readonly PackFormat[] = [
    'tar-ustar',
    'cpio-newc',
    'cpio.gz',
    'tar.xz',
    'squashfs',
    'flash-uimage',
    'flash-squashfs',
  ];
  for (const format of formats) {
    try {
      const image = pack(root, format);
      if (image.length <= 4 * MAX_SEED_BYTES) images.push(image);
    } catch {
      // A tool this format needs is not installed: its seed is left out.
    }
  }
  rmSync(root, { recursive: true, force: true });
  return images;
}

/** Bus messages as collectors publish them: the capture datagrams' records, in a few batches. */
function flowBatches(): Buffer[] {
  const decoder = new FlowDecoder();
  const records: FlowRecord[] = [];
  for (const datagram of captureDatagrams()) {
    try {
      decoder.decode(datagram, '192.0.2.1', 1_700_000_000_000, records);
    } catch {
      // A seed datagram the decoder refuses simply gives no records.
    }
  }
  const batches = [Buffer.from(encodeFlowBatch([], 0))];
  for (let i = 0; i < records.length && batches.length < 8; i += 16) {
    batches.push(Buffer.from(encodeFlowBatch(records.slice(i, i + 16), 1_700_000_000_000)));
  }
  return batches;
}

const INVENTORY = readFileSync(join(ROOT, 'examples/inventory/uk-operator.yaml'));

export const TARGETS: readonly FuzzTarget[] = [
  {
    name: 'flow datagrams (NetFlow v5/v9, IPFIX, sFlow)',
    seeds: captureDatagrams,
    run(input) {
      // One decoder per input plus a second datagram: templates learnt from the first are used.
      const decoder = new FlowDecoder();
      const out: FlowRecord[] = [];
      decoder.decode(input, '192.0.2.1', 1_700_000_000_000, out);
      decoder.decode(input, '192.0.2.1', 1_700_000_001_000, out);
    },
  },
  {
    name: 'binary flow batches (bus messages)',
    seeds: flowBatches,
    run(input) {
      // What the decoder accepts, the encoder must carry exactly: a record a worker folds into its
      // totals is one a collector could have sent.
      const batch = decodeFlowBatch(input);
      for (const r of batch.records) {
        const counts = [r.packets, r.bytes, r.revPackets ?? 0, r.revBytes ?? 0];
        if (!counts.every((n) => Number.isFinite(n) && n >= 0)) {
          throw new Error(`a decoded record carries a count totals cannot hold: ${counts.join()}`);
        }
        if (!Number.isFinite(r.first) || !Number.isFinite(r.last)) {
          throw new Error(`a decoded record carries a time that is not one: ${r.first}, ${r.last}`);
        }
      }
      const again = decodeFlowBatch(encodeFlowBatch(batch.records, batch.received));
      deepStrictEqual(again, batch);
    },
  },
  {
    name: 'pcap and pcapng captures',
    seeds: () => filesUnder([join(FIXTURES, 'flows/pcap')], /\.pcapng?$/),
    run(input) {
      const counters: CaptureCounters = { frames: 0, udp: 0, skipped: 0, truncatedBytes: 0 };
      Array.from(readCapture(input, 'fuzz.pcap', counters));
    },
  },
  {
    name: 'Zeek conn.log',
    seeds: () => [
      Buffer.from(
        '#separator \\x09\n#unset_field\t-\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\tconn_state\thistory\n' +
          '1700000000.1\tC1\t10.0.0.1\t5353\t10.0.0.2\t53\tudp\t0.5\tSF\tDd\n' +
          '1700000001.2\tC2\t2001:db8::1\t443\t2001:db8::2\t51000\ttcp\t-\tS0\tS\n',
      ),
      Buffer.from(
        '{"ts":1700000000.5,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":5353,"id.resp_h":"10.0.0.2","id.resp_p":53,"proto":"udp","duration":1.5}\n',
      ),
    ],
    async run(input) {
      await readZeekConnLog('fuzz.log', () => undefined, input);
    },
  },
  {
    name: 'MUD files (RFC 8520 JSON)',
    seeds: () => filesUnder([join(FIXTURES, 'mud'), join(SHARED, 'mud')], /\.json$/),
    run(input) {
      parseMudText(input.toString('utf8'));
    },
  },
  {
    name: 'SBOMs (CycloneDX, SPDX)',
    seeds: () =>
      filesUnder([join(FIXTURES, 'sbom'), join(SHARED, 'firmware/sbom')], /\.json$/).slice(0, 24),
    run(input) {
      readSbomText('fuzz.json', input.toString('utf8'));
    },
  },
  {
    name: 'OSV records (JSON, YAML)',
    seeds: () =>
      filesUnder([join(FIXTURES, 'osv'), join(SHARED, 'firmware/osv')], /\.(json|ya?ml)$/),
    run(input) {
      const out = { records: [], warnings: [], filesRead: 0 };
      parseOsvDocument('fuzz.json', input, out);
      parseOsvDocument('fuzz.yaml', input, out);
    },
  },
  {
    name: 'OSV zips',
    seeds: () => {
      const records = filesUnder([join(FIXTURES, 'osv/ubuntu')], /\.json$/).slice(0, 2);
      return [
        buildZip(records.map((data, i) => ({ name: `r${i}.json`, data }))),
        buildZip(records.map((data, i) => ({ name: `s${i}.json`, data, method: 'store' }))),
      ];
    },
    run(input, scratch) {
      writeFileSync(scratch, input);
      Array.from(readZipEntries(scratch));
    },
  },
  {
    name: 'firmware images (the scan entry point)',
    seeds: firmwareImages,
    run(input, scratch) {
      writeFileSync(scratch, input);
      scanFirmware(scratch);
    },
  },
  {
    name: 'YAML inventories',
    seeds: () => [INVENTORY, readFileSync(join(ROOT, 'examples/inventory/us-contractor.yaml'))],
    async run(input, scratch) {
      writeFileSync(`${scratch}.yaml`, input);
      await loadInventory(`${scratch}.yaml`);
    },
  },
  {
    name: 'rule packs (YAML)',
    seeds: () => filesUnder([join(ROOT, 'src/policy/packs')], /^(?!registry).*\.yaml$/).slice(0, 6),
    run(input, scratch) {
      writeFileSync(`${scratch}.yaml`, input);
      lintPack(`${scratch}.yaml`);
    },
  },
  {
    name: 'DSSE envelopes and evidence bundles',
    seeds: () => {
      const envelope = serializeEnvelope(
        signEnvelope('application/vnd.in-toto+json', Buffer.from('{"_type":"x"}'), LOG_KEY),
      );
      return [envelope];
    },
    run(input) {
      parseEnvelope(input);
      parseBundle(input);
    },
  },
  {
    name: 'signed notes and checkpoints',
    seeds: () => [Buffer.from(checkpointNote(0)), Buffer.from(checkpointNote(12345))],
    run(input) {
      const text = input.toString('utf8');
      const note = parseNote(input);
      parseCheckpoint(note.text);
      parseCheckpoint(text);
    },
  },
  {
    name: 'tlog-proofs',
    seeds: () => [
      Buffer.from(
        formatTlogProof({
          index: 3,
          proof: [Buffer.alloc(32, 1), Buffer.alloc(32, 2)],
          checkpoint: checkpointNote(7),
          extra: Buffer.from('x'),
        }),
      ),
    ],
    run(input) {
      parseTlogProof(input.toString('utf8'));
    },
  },
  {
    name: 'trust files (YAML)',
    seeds: () => [readFileSync(join(ROOT, 'examples/statements/trust.yaml'))],
    run(input) {
      parseTrustFile(input.toString('utf8'), 'fuzz.yaml');
    },
  },
  ...HTTP_TARGETS,
];
