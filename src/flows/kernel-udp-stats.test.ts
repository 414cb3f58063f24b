import { describe, expect, it } from 'vitest';
import { parseProcNetUdp } from './kernel-udp-stats.js';

// Two sockets as Linux 6.x prints them: 127.0.0.1:2055 with 12 drops and 4,352 bytes queued, and
// 0.0.0.0:4739 with none.
const PROC_NET_UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  123: 0100007F:0807 00000000:0000 07 00000000:00001100 00:00000000 00000000  1000        0 48211 2 0000000000000000 12
  124: 00000000:1283 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 48212 2 0000000000000000 0
`;

describe('the kernel UDP socket table', () => {
  it('reads drops and queued bytes per local port', () => {
    const stats = parseProcNetUdp(PROC_NET_UDP);
    expect(stats.get(2055)).toEqual({ drops: 12, queuedBytes: 4352 });
    expect(stats.get(4739)).toEqual({ drops: 0, queuedBytes: 0 });
  });

  it('ignores a header-only table and lines it cannot read', () => {
    expect(parseProcNetUdp('   sl  local_address\nnonsense line\n').size).toBe(0);
  });
});
