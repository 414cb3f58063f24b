import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLOW_FILE_COLUMNS } from '../../src/flows/flow-file.js';
import { runCli } from '../helpers/run-cli.js';

const PCAP = join(import.meta.dirname, '../fixtures/flows/pcap');

describe('nospy flows decode', () => {
  it('prints the CSV header then one record per line, and the counters on stderr', async () => {
    const result = await runCli(['flows', 'decode', join(PCAP, 'ipfix-openbsd-pflow.pcap')]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(FLOW_FILE_COLUMNS.join(','));
    expect(lines).toHaveLength(27);
    expect(lines[1]).toBe(
      '127.0.0.1,42,2016-07-21T13:29:59.000Z,2016-07-21T13:29:59.000Z,6,192.168.0.17,64020,192.168.0.1,80,7,373,,1,1,,,1,unknown',
    );
    const summary = JSON.parse(result.stderr.trim().split('\n').pop()!) as { records: number };
    expect(summary.records).toBe(26);
  });

  it('prints NDJSON with --format ndjson', async () => {
    const result = await runCli([
      'flows',
      'decode',
      join(PCAP, 'netflow5-juniper-mx80.pcap'),
      '--format',
      'ndjson',
    ]);
    expect(result.code).toBe(0);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(29);
    expect(records[0]?.['sampling']).toBe(1000);
  });

  it('exits 2 with FLOW_PCAP_INVALID on a file that is not a capture', async () => {
    const result = await runCli(['flows', 'decode', join(PCAP, 'ipfix.nfdump.flows.csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('FLOW_PCAP_INVALID');
  });
});

describe('nospy flows decode, given what is not a plain capture file', () => {
  it('refuses a directory with a clean message and exit 2', async () => {
    const result = await runCli(['flows', 'decode', PCAP]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${PCAP}: is a directory`);
    expect(result.stderr).not.toContain('internal error');
  });

  it('decodes a capture read through a pipe, as from <(cat file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-flows-pipe-'));
    const fifo = join(dir, 'capture');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', [
      '-c',
      `cat '${join(PCAP, 'ipfix-openbsd-pflow.pcap')}' > '${fifo}'`,
    ]);
    try {
      const result = await runCli(['flows', 'decode', fifo]);
      expect(result.stderr).not.toContain('internal error');
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(27);
    } finally {
      writer.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decodes a Zeek log read through a pipe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-flows-pipe-'));
    const log = join(dir, 'conn.log');
    writeFileSync(
      log,
      '{"ts":1700000000.5,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":5353,"id.resp_h":"10.0.0.2","id.resp_p":53,"proto":"udp"}\n',
    );
    const fifo = join(dir, 'zeek');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat '${log}' > '${fifo}'`]);
    try {
      const result = await runCli(['flows', 'decode', fifo, '--format', 'ndjson']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(1);
    } finally {
      writer.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decodes a capture cut off in its last record and counts the cut bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-flows-cut-'));
    const whole = readFileSync(join(PCAP, 'ipfix-openbsd-pflow.pcap'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 3));
    try {
      const result = await runCli(['flows', 'decode', cut]);
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stderr.trim().split('\n').pop()!) as {
        capture: { truncatedBytes: number };
      };
      expect(summary.capture.truncatedBytes).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nospy collect', () => {
  it('exits 2 when given no output (--out, --data or --bus), before binding anything', async () => {
    const result = await runCli(['collect', '--netflow', '0', '--host', '127.0.0.1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'give --out <file.ndjson>, --data [dir], --bus <url>, or several',
    );
  });

  it('exits 2 for a segment age that is not a whole number of seconds', async () => {
    const result = await runCli([
      'collect',
      '--netflow',
      '0',
      '--data',
      'somewhere',
      '--segment-seconds',
      '0.5',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not a number of seconds');
  });
});
