import type { FlowRecord } from '../flows/flow-record.js';
import {
  INITIATED_BY_DEVICE,
  INITIATED_BY_REMOTE,
  initiatorOf,
  type MudMatcher,
} from './matcher.js';
import type { MudDirection } from './model.js';

/** One line of `nospy mud check`: the verdict for one record, in input order. */
export interface MudVerdict {
  /** The record's `id` from the flow file, when it had one. */
  readonly id?: string;
  /** 1-based line in the flow file. */
  readonly line: number;
  /** null when the record touches none of the device's addresses (then verdict is `error`). */
  readonly direction: MudDirection | null;
  /** `error`: the record cannot be judged against this device (it is not the device's traffic). */
  readonly verdict: 'allowed' | 'violation' | 'error';
  /** `<acl>/<ace>`, `default:dns`, `default:ntp`, or '' for a violation or error. */
  readonly rule: string;
  /** The drop/reject ACE that decided a violation, when one did. */
  readonly denied_by?: string;
  readonly initiator: 'device' | 'remote' | 'unknown';
  readonly proto: number;
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
  readonly error?: string;
}

/** Judges one record against the device's MUD matcher (a pure function of its inputs). */
export function verdictFor(matcher: MudMatcher, record: FlowRecord, line: number): MudVerdict {
  const id = record.id === undefined ? {} : { id: record.id };
  const flow = {
    proto: record.proto,
    src: record.src,
    sport: record.sport,
    dst: record.dst,
    dport: record.dport,
  };
  const direction = matcher.directionOf(record);
  if (direction === undefined) {
    const addresses = [...matcher.deviceAddresses].join(', ');
    return {
      ...id,
      line,
      direction: null,
      verdict: 'error',
      rule: '',
      initiator: 'unknown',
      ...flow,
      error: `neither ${record.src} nor ${record.dst} is an address of the device (${addresses})`,
    };
  }
  const decision = matcher.match(record, direction);
  const who = initiatorOf(record, direction === 'from-device');
  return {
    ...id,
    line,
    direction,
    verdict: decision.verdict,
    rule: decision.rule,
    ...(decision.deniedBy === undefined ? {} : { denied_by: decision.deniedBy }),
    initiator:
      who === INITIATED_BY_DEVICE ? 'device' : who === INITIATED_BY_REMOTE ? 'remote' : 'unknown',
    ...flow,
  };
}

/** The human line of a verdict: tab-separated, id first when there is one. */
export function formatVerdict(v: MudVerdict): string {
  const where = v.id ?? `line ${v.line}`;
  const flow = `${v.src}:${v.sport} -> ${v.dst}:${v.dport} proto ${v.proto}`;
  const rule =
    v.verdict === 'error'
      ? (v.error ?? '')
      : v.rule || (v.denied_by === undefined ? 'default deny' : `denied by ${v.denied_by}`);
  return `${where}\t${v.direction ?? '-'}\t${v.verdict}\t${rule}\t${flow}\tinitiator ${v.initiator}`;
}
