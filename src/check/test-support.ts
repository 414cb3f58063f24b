/** Hand-built evidence for the engine's unit tests: statements as logged, without I/O. */
import type { Statement } from '../statements/statement.js';
import type { LoggedStatement } from './evidence.js';
import { ACCESS_PREDICATE_TYPE } from '../statements/predicates/access.js';
import { AGREEMENT_PREDICATE_TYPE } from '../statements/predicates/agreement.js';
import { CANARY_PREDICATE_TYPE } from '../statements/predicates/canary.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../statements/predicates/deployment.js';
import { RELEASE_PREDICATE_TYPE } from '../statements/predicates/release.js';
import { REBUILD_PREDICATE_TYPE } from '../statements/predicates/rebuild.js';

export const NOW = Date.UTC(2026, 5, 1);
export const ACME = 'Acme Networks';
export const GLOBEX = 'Globex Telecom Systems';
export const IMAGE_A = 'a'.repeat(64);
export const IMAGE_G = 'b'.repeat(64);
const DIGEST = 'c'.repeat(64);

let nextIndex = 0;

/** A logged statement at `index` (default: the next one) with a placeholder envelope and proof. */
export function logged(statement: Statement, index = nextIndex++): LoggedStatement {
  return { index, envelope: `{"index":${index}}`, tlogProof: `proof-${index}`, statement };
}

export function agreement(
  vendor: string,
  clauses: Extract<
    Statement,
    { predicateType: typeof AGREEMENT_PREDICATE_TYPE }
  >['predicate']['clauses'],
): Statement {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'agreement.pdf', digest: { sha256: DIGEST } }],
    predicateType: AGREEMENT_PREDICATE_TYPE,
    predicate: {
      agreementId: `${vendor}-1`,
      title: `${vendor} no-spy agreement`,
      parties: { vendor: { name: vendor, key: 'vendor+12345678+AQ' } },
      validity: { from: '2026-01-01', until: '2027-12-31' },
      scope: { products: ['router'] },
      clauses,
    },
  };
}

export const ALL_CLAUSES = [
  { clause: 'firmware-logged-before-deployment' },
  { clause: 'remote-access-only-under-cosigned-grant' },
  { clause: 'canary-every', days: 30 },
  { clause: 'critical-vulns-fixed-within', days: 30, severity: 'critical' },
  { clause: 'traffic-within-declared-mud' },
] as const;

export function release(vendor: string, image: string, models = ['R1'], extra = {}): Statement {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: `${vendor}-fw.bin`, digest: { sha256: image } }],
    predicateType: RELEASE_PREDICATE_TYPE,
    predicate: {
      vendor,
      models,
      version: '1.0',
      releasedAt: '2026-01-10',
      sbom: { format: 'cyclonedx', digest: { sha256: DIGEST } },
      mud: { digest: { sha256: DIGEST }, url: 'https://mud.example.com/r1.json' },
      ...extra,
    },
  };
}

export function deployment(
  device: string,
  vendor: string,
  image: string,
  observedAt = '2026-02-01T00:00:00Z',
): Statement {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'fw.bin', digest: { sha256: image } }],
    predicateType: DEPLOYMENT_PREDICATE_TYPE,
    predicate: {
      operator: 'Example Telecom',
      device: { id: device, vendor, model: 'R1' },
      observedAt,
      method: 'image-hash',
    },
  };
}

export function canary(vendor: string, issuedAt: string): Statement {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'canary.txt', digest: { sha256: DIGEST } }],
    predicateType: CANARY_PREDICATE_TYPE,
    predicate: {
      vendor,
      period: { from: issuedAt, until: issuedAt },
      issuedAt,
      text: 'No lawful access requests were received.',
      lawfulAccessRequests: { received: 0 },
      nextDue: '2027-01-01',
    },
  };
}

export function grant(
  vendor: string,
  device: string,
  source: string,
  from: string,
  until: string,
): Statement {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'grant', digest: { sha256: DIGEST } }],
    predicateType: ACCESS_PREDICATE_TYPE,
    predicate: {
      grantId: 'G-1',
      vendor,
      operator: 'Example Telecom',
      devices: [device],
      window: { from, until },
      sourceNetworks: [source],
      services: [{ protocol: 'tcp', ports: [22] }],
      purpose: 'Upgrade',
      ticket: 'T-1',
    },
  };
}

/** An evaluator's rebuild attestation of the release logged at `releaseIndex` naming `image`. */
export function rebuild(
  evaluator: string,
  releaseIndex: number,
  image: string,
  verdict: 'equivalent' | 'different',
  attestedAt = '2026-01-20T00:00:00Z',
  vendor = ACME,
): Statement {
  const produced = verdict === 'equivalent' ? image : 'e'.repeat(64);
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: `release:${releaseIndex}`, digest: { sha256: image } }],
    predicateType: REBUILD_PREDICATE_TYPE,
    predicate: {
      evaluator,
      release: { index: releaseIndex, digest: { sha256: image }, vendor },
      source: {
        uri: 'https://git.example.com/fw.git',
        commit: 'f'.repeat(40),
        archive: { digest: { sha256: DIGEST } },
      },
      build: {
        definition: { kind: 'recipe', digest: { sha256: DIGEST } },
        toolchain: [{ name: 'gcc', version: '12.2.0' }],
      },
      produced: { digest: { sha256: produced } },
      verdict,
      ...(verdict === 'different' ? { diffReport: { digest: { sha256: 'd'.repeat(64) } } } : {}),
      attestedAt,
    },
  };
}
