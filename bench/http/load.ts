/**
 * Loads a URL from another process, as users load a server: autocannon's own command line in a
 * child, so the clients' work does not share the server's event loop and halve both figures.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';

export interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Answers outside 2xx/3xx and socket errors. */
  readonly bad: number;
  readonly bytesPerRequest: number;
}

const cli = join(dirname(createRequire(import.meta.url).resolve('autocannon')), 'autocannon.js');

export function load(
  url: string,
  options: {
    connections: number;
    seconds: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<Load> {
  const args = [cli, '-j', '-c', String(options.connections), '-d', String(options.seconds)];
  if (options.method !== undefined) args.push('-m', options.method);
  for (const [name, value] of Object.entries(options.headers ?? {}))
    args.push('-H', `${name}=${value}`);
  if (options.body !== undefined) args.push('-b', options.body);
  args.push(url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error !== null) {
        reject(new Error(`autocannon failed: ${error.message}`));
        return;
      }
      const r = JSON.parse(stdout) as {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number };
        throughput: { total: number };
        non2xx: number;
        errors: number;
        '2xx': number;
        '3xx'?: number;
      };
      resolve({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        bad: r.errors + r.non2xx - (r['3xx'] ?? 0),
        bytesPerRequest: r.requests.total === 0 ? 0 : r.throughput.total / r.requests.total,
      });
    });
  });
}

/** The best of `rounds` loads of the same URL (highest rate). */
export async function best(
  rounds: number,
  url: string,
  options: Parameters<typeof load>[1],
): Promise<Load> {
  let top: Load | undefined;
  for (let i = 0; i < rounds; i += 1) {
    const result = await load(url, options);
    if (top === undefined || result.rps > top.rps) top = result;
  }
  return top as Load;
}
