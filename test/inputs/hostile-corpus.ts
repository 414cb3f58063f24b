/**
 * A corpus of hostile inputs for every command that takes a file: what a careless or malicious
 * user can hand nospy. Built in a temporary directory; the pipe is fed by a child process so that a
 * command reading it synchronously in this process cannot block its own writer.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '../fixtures');

/** The cap the corpus runs under (NOSPY_MAX_INPUT_BYTES): every reader stops here. */
export const CORPUS_CAP_BYTES = 1024 * 1024;

export interface HostileFile {
  readonly name: string;
  readonly path: string;
}

/** A deterministic byte stream (xorshift), so a failure reproduces. */
export function garbage(length: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(length);
  let x = seed | 0;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** YAML's billion laughs: nine levels of nine aliases, 9^9 nodes if expanded. */
export function aliasBomb(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i += 1) {
    const p = `*a${i - 1}`;
    lines.push(`a${i}: &a${i} [${Array(9).fill(p).join(',')}]`);
  }
  lines.push('operator: *a9', 'sites: *a9', 'items: *a9');
  return `${lines.join('\n')}\n`;
}

function half(file: string): Buffer {
  const bytes = readFileSync(file);
  return bytes.subarray(0, Math.floor(bytes.length / 2));
}

/** Writes the corpus under `dir` and returns its files (the directory itself among them). */
export function writeHostileCorpus(dir: string): HostileFile[] {
  const files: HostileFile[] = [];
  const put = (name: string, content: string | Buffer): void => {
    const path = join(dir, name);
    writeFileSync(path, content);
    files.push({ name, path });
  };
  put('empty.yaml', '');
  mkdirSync(join(dir, 'a-directory'));
  files.push({ name: 'directory', path: join(dir, 'a-directory') });
  files.push({ name: '/dev/zero', path: '/dev/zero' });
  put('garbage.bin', garbage(64 * 1024));
  put('nul.json', Buffer.alloc(4096));
  put('huge-line.yaml', 'a'.repeat(CORPUS_CAP_BYTES + 1));
  put('long-line.json', `"${'a'.repeat(900 * 1024)}"`);
  put('alias-bomb.yaml', aliasBomb());
  put('deep-flow.yaml', `${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
  put(
    'deep-block.yaml',
    `${Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}- `).join('\n')}x\n`,
  );
  put('deep.json', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`);
  put('deep-array.json', `${'['.repeat(50_000)}${']'.repeat(50_000)}`);
  put('truncated.pcap', half(join(FIXTURES, 'flows/pcap/ipfix-openbsd-pflow.pcap')));
  put('truncated.cdx.json', half(join(FIXTURES, 'sbom/firmware/router-1.5.cdx.json')));
  put('truncated-mud.json', half(join(FIXTURES, 'firmware/mudmaker-cloud-service.json')));
  put('truncated-osv.json', half(join(FIXTURES, 'osv/ubuntu/USN-5179-1.json')));
  put('truncated.zip', half(join(FIXTURES, 'osv/ubuntu/USN-5179-1.json')));
  put('not-utf8.yaml', Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28, 0x0a]));
  put('csv-garbage.csv', garbage(8 * 1024, 7));
  return files;
}

/** A named pipe fed with more than the corpus cap, for as many readers as open it. */
export class FeedingPipe {
  readonly path: string;
  #writer: ChildProcess | undefined;

  constructor(dir: string, name = 'pipe') {
    this.path = join(dir, name);
    execFileSync('mkfifo', [this.path]);
  }

  /** Starts the writer: each time a reader opens the pipe it gets 2 caps' worth of bytes. */
  start(): void {
    this.#writer = spawn(
      'sh',
      ['-c', `while :; do head -c ${2 * CORPUS_CAP_BYTES} /dev/urandom > '${this.path}'; done`],
      { detached: true, stdio: 'ignore' },
    );
  }

  stop(): void {
    const pid = this.#writer?.pid;
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.#writer = undefined;
  }
}
