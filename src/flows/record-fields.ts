import type { FlowFamily } from './flow-view.js';

/** A field the record did not carry. */
export const UNSET = -1;

/**
 * The raw values of one NetFlow v9/IPFIX data record, as its template's fields gave them; reset
 * for each record and kept in one object so that reading a record allocates nothing.
 */
export class RecordFields {
  bytes = UNSET;
  packets = UNSET;
  bytesTotal = UNSET;
  packetsTotal = UNSET;
  proto = 0;
  tcpFlags = UNSET;
  sport = 0;
  dport = 0;
  /** The first source/destination address field of the record wins (family 0: none yet). */
  srcFamily: FlowFamily = 0;
  readonly src = new Uint32Array(4);
  dstFamily: FlowFamily = 0;
  readonly dst = new Uint32Array(4);
  input = UNSET;
  output = UNSET;
  sysEnd = UNSET;
  sysStart = UNSET;
  icmpTypeCode = UNSET;
  icmpType = UNSET;
  icmpCode = UNSET;
  start = UNSET;
  end = UNSET;
  startDeltaUs = UNSET;
  endDeltaUs = UNSET;
  systemInitMs = UNSET;
  samplingInterval = UNSET;
  samplerId = UNSET;
  samplerRandom = UNSET;
  packetInterval = UNSET;
  packetSpace = UNSET;
  selectorId = UNSET;
  biflowDirection = UNSET;
  revBytes = UNSET;
  revPackets = UNSET;
  revTcpFlags = UNSET;
  initiatorBytes = UNSET;
  responderBytes = UNSET;
  initiatorPackets = UNSET;
  responderPackets = UNSET;
  observation = UNSET;
  initialFlags = UNSET;
  revInitialFlags = UNSET;

  reset(): void {
    this.bytes = this.packets = this.bytesTotal = this.packetsTotal = UNSET;
    this.proto = this.sport = this.dport = 0;
    this.tcpFlags = this.input = this.output = this.sysEnd = this.sysStart = UNSET;
    this.srcFamily = this.dstFamily = 0;
    this.icmpTypeCode = this.icmpType = this.icmpCode = UNSET;
    this.start = this.end = this.startDeltaUs = this.endDeltaUs = this.systemInitMs = UNSET;
    this.samplingInterval = this.samplerId = this.samplerRandom = UNSET;
    this.packetInterval = this.packetSpace = this.selectorId = this.biflowDirection = UNSET;
    this.revBytes = this.revPackets = this.revTcpFlags = UNSET;
    this.initiatorBytes =
      this.responderBytes =
      this.initiatorPackets =
      this.responderPackets =
        UNSET;
    this.observation = this.initialFlags = this.revInitialFlags = UNSET;
  }
}
