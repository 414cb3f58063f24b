import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFlowFile } from './flow-file.js';
import { formatFlowNdjson } from './flow-file-format.js';
import type { FlowRecord } from './flow-record.js';
import { flowSegments, recoverOpenSegments, segmentName } from './flow-store.js';
import { FlowStoreSink } from './flow-store-writer.js';

const T0 = Date.UTC(2026, 10, 28, 17, 40, 33, 123);

function record(sport: number): FlowRecord {
  return {
    exporter: '192.0.2.1',
    domain: 0,
    first: T0,
    last: T0 + 1000,
    proto: 6,
    src: '10.0.0.2',
    sport,
    dst: '198.51.100.10',
    dport: 443,
    packets: 3,
    bytes: 180,
    sampling: 1,
    origin: 'src',
  };
}

function lines(...sports: number[]): Buffer {
  return Buffer.from(sports.map((p) => `${formatFlowNdjson(record(p))}\n`).join(''));
}

async function sportsIn(dir: string): Promise<number[]> {
  const sports: number[] = [];
  for (const segment of flowSegments(dir)) {
    const options = segment.lengthBytes === undefined ? {} : { lengthBytes: segment.lengthBytes };
    for await (const { record: r } of readFlowFile(segment.path, options)) sports.push(r.sport);
  }
  return sports;
}

const tempStore = () => join(mkdtempSync(join(tmpdir(), 'nospy-flow-store-')), 'flows');

describe('segment names', () => {
  it('are the UTC start time, so name order is time order', () => {
    expect(segmentName(T0)).toBe('flows-20261128T174033.123Z.ndjson');
    expect(segmentName(T0 + 1) > segmentName(T0)).toBe(true);
  });
});

describe('the flow store', () => {
  it('seals a segment once it is old enough and starts the next one on the next write', async () => {
    const dir = tempStore();
    const sink = new FlowStoreSink(dir, { segmentMs: 60_000, segmentBytes: 1 << 30 });
    sink.write(lines(1, 2), 2, T0);
    sink.tick(T0 + 59_999);
    expect(readdirSync(dir).filter((n) => n.endsWith('.open'))).toHaveLength(1);
    sink.tick(T0 + 60_000);
    sink.write(lines(3), 1, T0 + 61_000);
    sink.close();
    expect(readdirSync(dir).sort()).toEqual([
      'flows-20261128T174033.123Z.ndjson',
      'flows-20261128T174134.123Z.ndjson',
    ]);
    expect(await sportsIn(dir)).toEqual([1, 2, 3]);
  });

  it('seals a segment once it holds enough bytes, with unique names within one millisecond', async () => {
    const dir = tempStore();
    const sink = new FlowStoreSink(dir, { segmentMs: 60_000, segmentBytes: 1 });
    sink.write(lines(1), 1, T0);
    sink.write(lines(2), 1, T0);
    sink.write(lines(3), 1, T0);
    sink.close();
    expect(flowSegments(dir).map((s) => s.path.slice(dir.length + 1))).toEqual([
      'flows-20261128T174033.123Z.ndjson',
      'flows-20261128T174033.124Z.ndjson',
      'flows-20261128T174033.125Z.ndjson',
    ]);
    expect(await sportsIn(dir)).toEqual([1, 2, 3]);
  });

  it('lets a reader see an open segment up to its last complete line', async () => {
    const dir = tempStore();
    const sink = new FlowStoreSink(dir);
    sink.write(lines(1, 2), 2, T0);
    const [open] = flowSegments(dir);
    // A write caught half-way: the second line is not complete yet.
    writeFileSync(open!.path, lines(3).subarray(0, 20), { flag: 'a' });
    expect(open?.open).toBe(true);
    expect(await sportsIn(dir)).toEqual([1, 2]);
    sink.close();
  });

  describe('when another live collector holds the store', () => {
    it('refuses with FLOW_STORE_LOCKED', () => {
      const dir = tempStore();
      const first = new FlowStoreSink(dir);
      expect(() => new FlowStoreSink(dir)).toThrow(
        expect.objectContaining({ code: 'FLOW_STORE_LOCKED' }),
      );
      first.close();
      expect(existsSync(join(dir, 'collector.lock'))).toBe(false);
      new FlowStoreSink(dir).close();
    });
  });

  describe('when the last collector was killed mid-write', () => {
    it('takes over its lock and seals its open segment at the last complete line', async () => {
      const dir = tempStore();
      const dead = spawnSync(
        process.execPath,
        ['-e', 'process.stdout.write(String(process.pid))'],
        {
          encoding: 'utf8',
        },
      );
      const killed = new FlowStoreSink(dir);
      killed.write(lines(1, 2), 2, T0);
      // What a killed process leaves: its lock (its pid is gone) and a torn last line.
      const [open] = flowSegments(dir);
      writeFileSync(open!.path, lines(3).subarray(0, 30), { flag: 'a' });
      writeFileSync(join(dir, 'collector.lock'), `${dead.stdout}\n`);

      const next = new FlowStoreSink(dir);
      expect(next.sealed).toEqual([open!.path.slice(0, -'.open'.length)]);
      next.close();
      expect(readFileSync(next.sealed[0]!, 'utf8').endsWith('}\n')).toBe(true);
      expect(await sportsIn(dir)).toEqual([1, 2]);
    });

    it('removes an open segment that holds no complete line', () => {
      const dir = tempStore();
      new FlowStoreSink(dir).close();
      writeFileSync(join(dir, `${segmentName(T0)}.open`), '{"exporter":');
      expect(recoverOpenSegments(dir)).toEqual([]);
      expect(flowSegments(dir)).toEqual([]);
    });
  });
});
