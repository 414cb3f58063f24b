/**
 * The demo's rebuild attestations, made the way `nospy rebuild attest` makes them
 * (`attestRebuild`: digests, the diff against the released image, the statement): Acme's release
 * attested equivalent by two evaluators (one bit for bit, one with timestamps only), Globex's
 * attested different by one, its diff report naming the changed dropbear and the added listener.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { attestRebuild } from '../rebuild/attest.js';
import { signStatement, type Envelope } from '../statements/index.js';
import type { NoteSigner } from '../tlog/note-key.js';
import { ACME, GLOBEX } from './documents.js';
import {
  ACME_IMAGE,
  ACME_REBUILT,
  ACME_SOURCE,
  GLOBEX_IMAGE,
  GLOBEX_REBUILT,
  GLOBEX_SOURCE,
  RECIPE,
} from './images.js';

export const ALBION_LAB = 'Albion Evaluation Lab';
export const OPEN_REBUILDERS = 'Open Rebuilders';

export interface DemoAttestation {
  readonly envelope: Envelope;
  readonly signer: NoteSigner;
  /** The diff report to put in the blob store, when the rebuild was not the released image. */
  readonly report?: Buffer;
}

const commitOf = (text: string): string => createHash('sha1').update(text).digest('hex');
const TOOLCHAIN = [
  { name: 'gcc', version: '12.2.0' },
  { name: 'buildroot', version: '2024.02.1' },
];

/**
 * Writes the rebuilt images, source archives and recipe into the world (`file`), then attests
 * each rebuild against the released images already written to `firmware/`.
 */
export async function demoRebuilds(
  dir: string,
  file: (name: string, content: string | Buffer) => void,
  releases: { readonly acme: number; readonly globex: number },
  evaluators: { readonly albion: NoteSigner; readonly rebuilders: NoteSigner },
): Promise<DemoAttestation[]> {
  file('firmware/rebuilt/acme-r1-3.2.tar.gz', ACME_REBUILT);
  file('firmware/rebuilt/globex-gx9-2.1.tar.gz', GLOBEX_REBUILT);
  file('rebuild/acme-r1-3.2-src.tar.gz', ACME_SOURCE);
  file('rebuild/globex-gx9-2.1-src.tar.gz', GLOBEX_SOURCE);
  file('rebuild/build.sh', RECIPE);
  const at = (name: string) => join(dir, name);
  const release = (index: number, vendor: string, image: Buffer, name: string) => ({
    index,
    vendor,
    images: [{ sha256: createHash('sha256').update(image).digest('hex'), name }],
  });
  const acme = release(releases.acme, ACME, ACME_IMAGE, 'R1-3.2.tar.gz');
  const globex = release(releases.globex, GLOBEX, GLOBEX_IMAGE, 'GX-9-2.1.tar.gz');
  const builds = [
    {
      evaluator: ALBION_LAB,
      signer: evaluators.albion,
      release: acme,
      // Bit for bit the released image.
      rebuilt: 'firmware/acme-r1-3.2.tar.gz',
      released: 'firmware/acme-r1-3.2.tar.gz',
      source: { uri: 'https://git.acme.example/r1/firmware.git', commit: commitOf('acme r1 3.2') },
      archive: 'rebuild/acme-r1-3.2-src.tar.gz',
      attestedAt: '2026-01-20T10:00:00Z',
    },
    {
      evaluator: OPEN_REBUILDERS,
      signer: evaluators.rebuilders,
      release: acme,
      rebuilt: 'firmware/rebuilt/acme-r1-3.2.tar.gz',
      released: 'firmware/acme-r1-3.2.tar.gz',
      source: { uri: 'https://git.acme.example/r1/firmware.git', commit: commitOf('acme r1 3.2') },
      archive: 'rebuild/acme-r1-3.2-src.tar.gz',
      attestedAt: '2026-01-25T15:30:00Z',
    },
    {
      evaluator: ALBION_LAB,
      signer: evaluators.albion,
      release: globex,
      rebuilt: 'firmware/rebuilt/globex-gx9-2.1.tar.gz',
      released: 'firmware/globex-gx9-2.1.tar.gz',
      source: {
        uri: 'git@git.globex.example:gx9/firmware.git',
        commit: commitOf('globex gx9 2.1'),
      },
      archive: 'rebuild/globex-gx9-2.1-src.tar.gz',
      attestedAt: '2026-01-22T11:00:00Z',
    },
  ];
  const out: DemoAttestation[] = [];
  for (const b of builds) {
    const attestation = await attestRebuild({
      evaluator: b.evaluator,
      release: b.release,
      rebuilt: at(b.rebuilt),
      released: () => Promise.resolve(at(b.released)),
      source: { ...b.source, archive: at(b.archive) },
      definition: { path: at('rebuild/build.sh'), kind: 'recipe' },
      toolchain: TOOLCHAIN,
      attestedAt: new Date(b.attestedAt),
      reportInBlobStore: true,
    });
    out.push({
      envelope: signStatement(attestation.statement, b.signer),
      signer: b.signer,
      ...(attestation.report === undefined ? {} : { report: attestation.report.bytes }),
    });
  }
  return out;
}
