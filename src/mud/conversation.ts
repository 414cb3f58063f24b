import type { FlowRecord } from '../flows/flow-record.js';
import type { MudDirection } from './model.js';
import type { ServiceInference, ServiceSide } from './service-side.js';

/** Distinct ports tallied per end of one conversation; the rest share {@link OTHER_PORTS}. */
export const MAX_CONVERSATION_PORTS = 4096;
/** The tally of ports beyond {@link MAX_CONVERSATION_PORTS} (not a port: ports end at 65535). */
export const OTHER_PORTS = 65536;

/** What the violating records of one port at one end of a conversation add up to. */
export interface PortTally {
  first: number;
  last: number;
  records: number;
  packets: number;
  bytes: number;
  readonly directions: MudDirection[];
  readonly samples: FlowRecord[];
}

/**
 * The violating records of one device with one remote address and protocol whose service side no
 * single record tells (unknown initiator, no telling port at either end). Each record is tallied
 * once under its device port and once under its remote port; which end is the service is decided
 * only when the findings are read (`resolveConversation`), so the outcome does not depend on the
 * order in which records arrive, and tallies from several workers add up to the same result.
 */
export class ConversationPorts {
  readonly device = new Map<number, PortTally>();
  readonly remote = new Map<number, PortTally>();

  add(
    record: FlowRecord,
    direction: MudDirection,
    devicePort: number,
    remotePort: number,
    maxSamples: number,
  ): void {
    tally(this.device, devicePort, record, direction, maxSamples);
    tally(this.remote, remotePort, record, direction, maxSamples);
  }
}

function tally(
  ports: Map<number, PortTally>,
  port: number,
  record: FlowRecord,
  direction: MudDirection,
  maxSamples: number,
): void {
  let t = ports.get(port);
  if (t === undefined) {
    // A bounded map: a scan of every port must not hold 65,536 tallies per conversation.
    const key = ports.size >= MAX_CONVERSATION_PORTS ? OTHER_PORTS : port;
    t = ports.get(key);
    if (t === undefined) {
      t = {
        first: record.first,
        last: record.last,
        records: 0,
        packets: 0,
        bytes: 0,
        directions: [],
        samples: [],
      };
      ports.set(key, t);
    }
  }
  if (!t.directions.includes(direction)) t.directions.push(direction);
  if (record.first < t.first) t.first = record.first;
  if (record.last > t.last) t.last = record.last;
  t.records += 1;
  t.packets += record.packets;
  t.bytes += record.bytes;
  if (t.samples.length < maxSamples) t.samples.push(record);
}

/** One service of a resolved conversation and the tallies that make it up. */
export interface ResolvedService<T> {
  readonly side: ServiceSide;
  readonly port: number;
  readonly how: Extract<ServiceInference, 'fixed-port' | 'lower-port'>;
  readonly parts: readonly T[];
}

/**
 * Decides a conversation's service side from its two port tallies: the end that used fewer
 * distinct ports kept its port fixed while the other changed (a client's ephemeral ports), so it
 * is the service; at a tie, the end holding the lowest port. Returns one service per port of the
 * chosen end; tallies beyond the port bound join the lowest port's. Pure, generic over the tally
 * so that stored tallies resolve by the same rule.
 */
export function resolveConversation<T>(
  device: ReadonlyMap<number, T>,
  remote: ReadonlyMap<number, T>,
): ResolvedService<T>[] {
  const d = distinct(device);
  const r = distinct(remote);
  let side: ServiceSide;
  let how: ResolvedService<T>['how'];
  if (d !== r) {
    side = d < r ? 'device' : 'remote';
    how = 'fixed-port';
  } else {
    side = lowest(device) < lowest(remote) ? 'device' : 'remote';
    how = 'lower-port';
  }
  const chosen = side === 'device' ? device : remote;
  const ports = [...chosen.keys()].filter((p) => p !== OTHER_PORTS).sort((a, b) => a - b);
  const other = chosen.get(OTHER_PORTS);
  return ports.map((port, i) => {
    const own = chosen.get(port) as T;
    return { side, port, how, parts: i === 0 && other !== undefined ? [own, other] : [own] };
  });
}

/** Distinct ports, the overflow tally counting as more than any bounded map can hold. */
function distinct(ports: ReadonlyMap<number, unknown>): number {
  return ports.has(OTHER_PORTS) ? Number.MAX_SAFE_INTEGER : ports.size;
}

function lowest(ports: ReadonlyMap<number, unknown>): number {
  let min = OTHER_PORTS;
  for (const p of ports.keys()) if (p < min) min = p;
  return min;
}
