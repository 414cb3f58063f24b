/**
 * undeclared-traffic and unapproved-access: the MUD behaviour check (src/mud) of the observed
 * flows, with the logged, co-signed access grants as the only permission for remote management.
 */
import { formatFlowNdjson } from '../../flows/flow-file-format.js';
import {
  checkBehaviour,
  type AccessGrant,
  type BehaviourFinding,
  type ServiceInference,
} from '../../mud/index.js';
import type { FlowRecord } from '../../flows/flow-record.js';
import type { BrokenPromise, Finding, FlowOrigin, StreamMessage } from '../finding.js';
import type { EvidenceIndex } from '../evidence-index.js';
import { makeFinding, statementEvidence } from '../make-finding.js';
import { instant } from '../normalise.js';

/** A port range wider than this in a grant is clipped (bounded expansion). */
const MAX_RANGE_PORTS = 4096;

/** The logged access statements as behaviour-check grants. */
export function grantsOf(ctx: EvidenceIndex): AccessGrant[] {
  return accessGrants(ctx.grants);
}

/**
 * Access statements (`access-session` predicates read from the log) as behaviour-check grants;
 * traffic workers take their grants from the log through this too.
 */
export function accessGrants(grants: EvidenceIndex['grants']): AccessGrant[] {
  return grants.map((g) => {
    const p = g.statement.predicate;
    const ports: number[] = [];
    for (const service of p.services) {
      for (const entry of service.ports) {
        if (typeof entry === 'number') ports.push(entry);
        else {
          const to = Math.min(entry.to, entry.from + MAX_RANGE_PORTS - 1);
          for (let port = entry.from; port <= to; port++) ports.push(port);
        }
      }
    }
    return {
      id: `${p.grantId}@${g.index}`,
      devices: p.devices,
      sources: p.sourceNetworks,
      ports,
      from: instant(p.window.from),
      until: instant(p.window.until),
    };
  });
}

function describe(f: BehaviourFinding): string {
  const proto = f.proto === 6 ? 'tcp' : f.proto === 17 ? 'udp' : `proto ${f.proto}`;
  return `${f.remote} ${proto}/${f.port}`;
}

/** How the service side was told, in words (the finding says it, so a reader can weigh it). */
const INFERENCE_TEXT: Record<ServiceInference, string> = {
  initiator: 'the flow records name who opened the connection',
  'same-port': 'both ends used the same port',
  'mud-port': "the device's MUD file names the port",
  'well-known-port': 'an IANA System Port at that end',
  'registered-port': 'an IANA-registered service port at that end',
  'fixed-port': "that end's port stayed fixed while the other end's changed",
  'lower-port': 'nothing else told it, so the lower port',
  'management-port': 'a management port of the device',
  icmp: 'ICMP type and code',
};

function serviceText(f: BehaviourFinding): string {
  if (f.inferred === 'icmp') return '';
  const end = f.side === 'device' ? `the device's port ${f.port}` : `the remote's port ${f.port}`;
  return ` The service is ${end} (${INFERENCE_TEXT[f.inferred]}).`;
}

/** Where each sample was read, when every one of them is known. */
function originsOf(
  samples: readonly FlowRecord[],
  origins: ReadonlyMap<FlowRecord, FlowOrigin> | undefined,
): { origins?: FlowOrigin[] } {
  if (origins === undefined) return {};
  const found = samples.map((r) => origins.get(r));
  return found.every((o) => o !== undefined) ? { origins: found } : {};
}

/** The stream message of each sample, when every one of them is known. */
function messagesOf(
  samples: readonly FlowRecord[],
  messages: ReadonlyMap<FlowRecord, StreamMessage> | undefined,
): { messages?: StreamMessage[] } {
  if (messages === undefined) return {};
  const found = samples.map((r) => messages.get(r));
  return found.every((m) => m !== undefined)
    ? { messages: found.map((m) => ({ stream: m.stream, sequence: m.sequence })) }
    : {};
}

/**
 * The behaviour verdicts: a traffic store's (judged by the workers against the same devices and
 * logged grants), else the check of the flow records here.
 */
function verdicts(ctx: EvidenceIndex):
  | {
      readonly findings: readonly BehaviourFinding[];
      readonly origins?: ReadonlyMap<FlowRecord, FlowOrigin> | undefined;
      readonly messages?: ReadonlyMap<FlowRecord, StreamMessage>;
    }
  | undefined {
  const traffic = ctx.evidence.traffic;
  if (traffic !== undefined)
    return { findings: traffic.report.findings, messages: traffic.report.sampleOrigins };
  const flows = ctx.evidence.flows;
  if (flows === undefined) return undefined;
  const report = checkBehaviour({ devices: flows.devices, grants: grantsOf(ctx) }, flows.records);
  return { findings: report.findings, origins: flows.origins };
}

/** Findings of kinds `undeclared-traffic` and `unapproved-access`. */
export function behaviourFindings(ctx: EvidenceIndex): Finding[] {
  const judged = verdicts(ctx);
  if (judged === undefined) return [];
  return judged.findings.map((f) => {
    const vendor = ctx.vendorOfDevice(f.device);
    const clause =
      f.kind === 'undeclared-traffic'
        ? 'traffic-within-declared-mud'
        : 'remote-access-only-under-cosigned-grant';
    const promise = vendor === undefined ? undefined : ctx.clauseOf(vendor, clause);
    const breaks: BrokenPromise =
      promise === undefined
        ? { type: 'rule', pack: 'nospy', rule: f.kind }
        : { type: 'clause', agreement: promise.agreement.index, clause };
    const explanation =
      f.kind === 'undeclared-traffic'
        ? `Device ${f.device}${vendor === undefined ? '' : ` (${vendor})`} exchanged ${f.records} flows with ${describe(f)}, which its MUD file does not declare.${serviceText(f)}`
        : `${describe(f)} reached management port ${f.port} of device ${f.device}${vendor === undefined ? '' : ` (${vendor})`} in ${f.records} flows with no access grant covering it.`;
    return makeFinding({
      kind: f.kind,
      severity: f.kind === 'unapproved-access' ? 'critical' : 'high',
      subject: vendor === undefined ? { device: f.device } : { device: f.device, vendor },
      breaks,
      // A service at the device's own end is another finding than the same port at the remote's.
      what: `${f.remote}\u0000${f.proto}\u0000${f.port}${f.kind === 'undeclared-traffic' && f.side === 'device' ? '\u0000device' : ''}`,
      firstSeen: f.first,
      lastSeen: f.last,
      explanation,
      evidence: [
        {
          type: 'flows',
          records: f.samples.map((r) => JSON.parse(formatFlowNdjson(r)) as Record<string, unknown>),
          ...originsOf(f.samples, judged.origins),
          ...messagesOf(f.samples, judged.messages),
          total: { records: f.records, bytes: f.bytes },
        },
        ...(promise === undefined ? [] : [statementEvidence(promise.agreement)]),
      ],
    });
  });
}
