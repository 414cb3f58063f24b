import type { FlowOrigin } from './flow-record.js';

const SYN = 0x02;
const ACK = 0x10;

/**
 * Which end opened a TCP connection, from what a flow record tells. The rule (docs/flows.md):
 *
 * 1. A flag set known to be the *first* packet's (YAF initialTCPFlags): SYN without ACK in the
 *    forward direction → `src`; in the reverse direction → `dst`.
 * 2. Cumulative flags (the OR over every packet of the record): SYN without ACK means this
 *    direction only ever sent connection openings → `src`. SYN+ACK without a forward SYN-only
 *    packet cannot be told apart from the opener's own record (its SYN is OR-ed with the ACKs
 *    that follow), so it says nothing.
 * 3. A biflow whose reverse cumulative flags are SYN without ACK → `dst`.
 * 4. Otherwise `unknown` (UDP, ICMP, missing flags): never guessed from port numbers.
 */
export function originFromTcpFlags(
  proto: number,
  flags: number | undefined,
  reverseFlags: number | undefined,
  initialFlags: number | undefined,
  reverseInitialFlags: number | undefined,
): FlowOrigin {
  if (proto !== 6) return 'unknown';
  if (initialFlags !== undefined && (initialFlags & (SYN | ACK)) === SYN) return 'src';
  if (reverseInitialFlags !== undefined && (reverseInitialFlags & (SYN | ACK)) === SYN)
    return 'dst';
  if (flags !== undefined && (flags & (SYN | ACK)) === SYN) return 'src';
  if (reverseFlags !== undefined && (reverseFlags & (SYN | ACK)) === SYN) return 'dst';
  return 'unknown';
}

/**
 * RFC 5103 §6.3 / IANA biflowDirection (IE 239): 1 initiator (the source opened the biflow),
 * 2 reverseInitiator (the destination did); 0 arbitrary and 3 perimeter say nothing.
 */
export function originFromBiflowDirection(direction: number): FlowOrigin {
  if (direction === 1) return 'src';
  if (direction === 2) return 'dst';
  return 'unknown';
}
