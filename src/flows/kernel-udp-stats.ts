import { readFileSync } from 'node:fs';

/** What the kernel says about one UDP socket: datagrams it dropped, bytes waiting to be read. */
export interface KernelSocketStats {
  readonly drops: number;
  readonly queuedBytes: number;
}

/**
 * Parses /proc/net/udp or /proc/net/udp6 (Linux): per local port, the `drops` column (datagrams
 * the kernel discarded, mostly because the receive buffer was full) and the rx_queue. These are
 * the losses no user-space counter can see.
 */
export function parseProcNetUdp(text: string): Map<number, KernelSocketStats> {
  const stats = new Map<number, KernelSocketStats>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 13) continue;
    const local = fields[1] ?? '';
    const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    const rxQueue = Number.parseInt((fields[4] ?? '').split(':')[1] ?? '', 16);
    const drops = Number(fields[12]);
    if (!Number.isInteger(port) || !Number.isFinite(drops)) continue;
    const before = stats.get(port);
    stats.set(port, {
      drops: (before?.drops ?? 0) + drops,
      queuedBytes: (before?.queuedBytes ?? 0) + (Number.isFinite(rxQueue) ? rxQueue : 0),
    });
  }
  return stats;
}

/** The kernel's counters for the UDP sockets on these ports; empty where /proc is not Linux's. */
export function kernelUdpStats(family: 'udp4' | 'udp6'): Map<number, KernelSocketStats> {
  try {
    return parseProcNetUdp(
      readFileSync(family === 'udp4' ? '/proc/net/udp' : '/proc/net/udp6', 'utf8'),
    );
  } catch {
    return new Map();
  }
}
