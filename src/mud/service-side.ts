import type { DeclaredPorts } from './declared-ports.js';
import { isWellKnownPort, registeredServiceName } from './iana-ports.js';
import { INITIATED_BY_DEVICE, INITIATED_BY_REMOTE } from './matcher.js';

/** Which end of a conversation offers the service. */
export type ServiceSide = 'device' | 'remote';

/**
 * How the service side of a finding was told, strongest first: the flow's known initiator; the
 * same port at both ends; the device's MUD file naming one end's port; an IANA System Port at one
 * end; an IANA-registered service port at one end; the end whose port stayed fixed across the
 * conversation's records while the other changed; and, when nothing tells, the lower port.
 * ICMP has no ports: its type and code are the "service". Access to a device's management port
 * not opened by the device is held to the access grants with the device as the service side.
 */
export type ServiceInference =
  | 'initiator'
  | 'same-port'
  | 'mud-port'
  | 'well-known-port'
  | 'registered-port'
  | 'fixed-port'
  | 'lower-port'
  | 'management-port'
  | 'icmp';

/** The ways of telling, strongest first; a finding told several ways names the strongest. */
const STRENGTH: readonly ServiceInference[] = [
  'initiator',
  'management-port',
  'icmp',
  'same-port',
  'mud-port',
  'well-known-port',
  'registered-port',
  'fixed-port',
  'lower-port',
];

/** The rank of a way of telling (0 strongest), for stores that merge findings in SQL. */
export function inferenceRank(how: ServiceInference): number {
  return STRENGTH.indexOf(how);
}

/** The way of telling of a rank ({@link inferenceRank}); `lower-port` for an unknown rank. */
export function inferenceOfRank(rank: number): ServiceInference {
  return STRENGTH[rank] ?? 'lower-port';
}

/** The stronger of two ways of telling the same service (order-independent when merging). */
export function strongerInference(a: ServiceInference, b: ServiceInference): ServiceInference {
  return STRENGTH.indexOf(a) <= STRENGTH.indexOf(b) ? a : b;
}

export interface ServiceGuess {
  readonly side: ServiceSide;
  readonly port: number;
  readonly how: ServiceInference;
}

/**
 * The service side of one record's device leg, when the record alone tells it; undefined when
 * only the conversation's other records can (see `resolveConversation`). Pure.
 */
export function inferServiceSide(
  proto: number,
  devicePort: number,
  remotePort: number,
  initiator: number,
  declared: DeclaredPorts,
): ServiceGuess | undefined {
  if (proto === 1 || proto === 58) return { side: 'remote', port: remotePort, how: 'icmp' };
  if (initiator === INITIATED_BY_DEVICE)
    return { side: 'remote', port: remotePort, how: 'initiator' };
  if (initiator === INITIATED_BY_REMOTE)
    return { side: 'device', port: devicePort, how: 'initiator' };
  if (devicePort === remotePort) return { side: 'remote', port: remotePort, how: 'same-port' };
  const mudDevice = declared.hasDevicePort(proto, devicePort);
  const mudRemote = declared.hasRemotePort(proto, remotePort);
  if (mudDevice !== mudRemote) return pick(mudRemote, devicePort, remotePort, 'mud-port');
  const wellKnownDevice = isWellKnownPort(devicePort);
  const wellKnownRemote = isWellKnownPort(remotePort);
  if (wellKnownDevice || wellKnownRemote) {
    // Both System Ports (a DNS server forwarding from 53 to 853, say): the lower is the service.
    const remote = wellKnownDevice && wellKnownRemote ? remotePort < devicePort : wellKnownRemote;
    return pick(remote, devicePort, remotePort, 'well-known-port');
  }
  const registeredDevice = registeredServiceName(devicePort) !== undefined;
  const registeredRemote = registeredServiceName(remotePort) !== undefined;
  if (registeredDevice !== registeredRemote) {
    return pick(registeredRemote, devicePort, remotePort, 'registered-port');
  }
  return undefined;
}

function pick(
  remote: boolean,
  devicePort: number,
  remotePort: number,
  how: ServiceInference,
): ServiceGuess {
  return remote
    ? { side: 'remote', port: remotePort, how }
    : { side: 'device', port: devicePort, how };
}
