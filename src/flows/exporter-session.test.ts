import { describe, expect, it } from 'vitest';
import { DecodeCounters } from './decode-counters.js';
import { DEFAULT_SESSION_LIMITS, SessionTable } from './exporter-session.js';

describe('the table of exporter sessions', () => {
  const limits = { ...DEFAULT_SESSION_LIMITS, maxSessions: 2 };

  it('gives each exporter, version and domain its own session, also right after another', () => {
    const table = new SessionTable(limits);
    const counters = new DecodeCounters();
    const a = table.get('192.0.2.1', 10, 0, 0, counters);
    expect(table.get('192.0.2.1', 10, 0, 1, counters)).toBe(a);
    expect(table.get('192.0.2.1', 9, 0, 2, counters)).not.toBe(a);
    expect(table.get('192.0.2.1', 10, 1, 3, counters)).not.toBe(a);
    expect(table.get('192.0.2.2', 10, 0, 4, counters)).not.toBe(a);
  });

  it('does not hand out the previous datagram’s session once it was evicted', () => {
    const table = new SessionTable(limits);
    const counters = new DecodeCounters();
    const a = table.get('192.0.2.1', 10, 0, 0, counters);
    table.get('192.0.2.2', 10, 0, 1, counters);
    table.get('192.0.2.1', 10, 0, 2, counters);
    // 192.0.2.1 was seen last but is still the oldest entry (refreshed at most once a second).
    table.get('192.0.2.3', 10, 0, 3, counters);
    const again = table.get('192.0.2.1', 10, 0, 4, counters);
    expect(again).not.toBe(a);
    expect(table.size).toBe(2);
  });
});
