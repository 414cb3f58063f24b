/**
 * What the pipeline tests share: the built binary run as a child process (collectors, workers),
 * UDP datagrams sent to a collector, and reports compared without what depends on arrival order.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import type { Finding, Report } from '../../src/check/index.js';

const BIN = fileURLToPath(new URL('../../bin/nospy.js', import.meta.url));

export const children: ChildProcessWithoutNullStreams[] = [];

/** Kills what a test left running. */
export function killChildren(): void {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
}

/** Starts `nospy <args>` in `cwd`; resolves with the first stderr line holding `ready`. */
export function startNospy(
  cwd: string,
  args: string[],
  ready: string,
): Promise<{ child: ChildProcessWithoutNullStreams; line: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH },
    stdio: 'pipe',
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const line = err.split('\n').find((l) => l.includes(ready));
      if (line !== undefined) resolve({ child, line });
    });
    child.on('exit', (code) => {
      reject(new Error(`nospy ${args.join(' ')} exited with ${code}: ${err}`));
    });
  });
}

/** The UDP port of a collector's first listener, from its "collector listening" line. */
export const listenerPort = (line: string): number =>
  (JSON.parse(line) as { listeners: { port: number }[] }).listeners[0]?.port as number;

/** Sends the datagrams one by one (each send completes before the next). */
export async function sendDatagrams(port: number, datagrams: readonly Buffer[]): Promise<void> {
  const socket = createSocket('udp4');
  try {
    for (const datagram of datagrams)
      await new Promise<void>((resolve, reject) => {
        socket.send(datagram, port, '127.0.0.1', (error) => {
          if (error) reject(error);
          else resolve();
        });
      });
  } finally {
    socket.close();
  }
}

/** SIGTERM, and the exit code. */
export async function stopped(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exit;
}

/**
 * A report's findings with what depends on the order records arrived in left out: which records
 * a flows part samples (kept: how many), and where they were read (files or stream messages).
 */
export function comparableFindings(report: Report): unknown[] {
  return report.findings.map((f: Finding) => ({
    ...f,
    evidence: f.evidence.map((e) =>
      e.type === 'flows' ? { type: e.type, samples: e.records.length, total: e.total } : e,
    ),
  }));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
