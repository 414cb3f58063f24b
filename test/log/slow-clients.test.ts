/**
 * Clients that take their time or hold many connections, against a real server on loopback with
 * short deadlines: each is cut off or refused, and what the server holds (connections, write
 * slots, buffered bytes) returns to nothing. No timing is asserted: only that what must end ends.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { add, startLog, tempDir, TOKEN, type RunningLog } from './helpers.js';
import type { ServerLimits } from '../../src/server/limits/server-limits.js';
import { startServer } from '../statements-server/helpers.js';

let temp: ReturnType<typeof tempDir> | undefined;
let server: RunningLog | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  temp?.remove();
  server = undefined;
  temp = undefined;
});

async function start(limits: Partial<ServerLimits>): Promise<RunningLog> {
  temp = tempDir();
  server = await startLog({ dir: temp.dir, limits });
  return server;
}

interface Client {
  readonly socket: Socket;
  /** Everything the server sent. */
  readonly received: () => string;
  /** Resolves when the server closed the connection. */
  readonly closed: Promise<void>;
}

/** A raw TCP client of `url`, connected. */
async function client(url: string): Promise<Client> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => text, closed };
}

/** Writes `text` one byte at a time, every `everyMs`, until it is written or the socket closes. */
function trickle(socket: Socket, text: string, everyMs = 50): void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= text.length) {
      clearInterval(timer);
      return;
    }
    socket.write(text.slice(at, at + 1));
    at += 1;
  }, everyMs);
  socket.once('close', () => {
    clearInterval(timer);
  });
}

/** Polls `condition` until it holds (the test's own timeout bounds the wait). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

const openConnections = (app: RunningLog['app']): Promise<number> =>
  new Promise((resolve, reject) => {
    app.server.getConnections((error, count) => {
      if (error) reject(error);
      else resolve(count);
    });
  });

describe('when clients send their headers one byte at a time', () => {
  it('closes every one of them at the header deadline, holding no connection afterwards', async () => {
    const { url, app } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const slow = await Promise.all(Array.from({ length: 100 }, () => client(url)));
    for (const { socket } of slow)
      trickle(
        socket,
        `POST /v1/statements HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(10_000)}`,
      );
    await until(async () => (await openConnections(app)) === 100);
    await Promise.all(slow.map((c) => c.closed));
    for (const c of slow) expect(c.received()).toMatch(/^(HTTP\/1\.1 408|$)/);
    await until(async () => (await openConnections(app)) === 0);
    // The server still answers.
    expect((await fetch(`${url}/checkpoint`)).status).toBe(200);
  }, 30_000);
});

describe('when clients send their bodies one byte at a time', () => {
  it('closes every one of them at the request deadline and releases their write slots', async () => {
    const { url, app } = await start({
      headersTimeoutMs: 1_000,
      requestTimeoutMs: 3_000,
      writeBufferBytes: 10 * 65_535,
    });
    const slow = await Promise.all(Array.from({ length: 50 }, () => client(url)));
    for (const { socket } of slow) {
      socket.write(
        `POST /add HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 60000\r\n\r\n`,
      );
      trickle(socket, 'x'.repeat(60_000));
    }
    await Promise.all(slow.map((c) => c.closed));
    // At most ten bodies of 60,000 bytes were admitted to buffer at once; the others were refused.
    const answers = slow.map((c) => /^HTTP\/1\.1 (\d{3})/.exec(c.received())?.[1] ?? 'closed');
    expect(answers.filter((a) => a === '503').length).toBeGreaterThanOrEqual(40);
    expect(answers.every((a) => ['503', '408', 'closed'].includes(a))).toBe(true);
    await until(async () => (await openConnections(app)) === 0);
    // Every slot came back: a whole entry is taken again.
    const response = await add(url, 'after the slow bodies');
    expect(response.status).toBe(200);
  }, 30_000);
});

describe('when more connections are opened than the cap', () => {
  it('closes the ones beyond it at once, and takes new ones once others closed', async () => {
    const { url, app } = await start({ maxConnections: 20, headersTimeoutMs: 60_000 });
    const held = await Promise.all(Array.from({ length: 20 }, () => client(url)));
    await until(async () => (await openConnections(app)) === 20);
    const beyond = await Promise.all(Array.from({ length: 10 }, () => client(url)));
    for (const c of beyond) c.socket.write('GET /checkpoint HTTP/1.1\r\nHost: x\r\n\r\n');
    await Promise.all(beyond.map((c) => c.closed));
    for (const c of beyond) expect(c.received()).toBe('');
    expect(await openConnections(app)).toBe(20);
    for (const c of held) c.socket.destroy();
    await until(async () => (await openConnections(app)) === 0);
    expect((await fetch(`${url}/checkpoint`)).status).toBe(200);
  }, 30_000);
});

describe('when one client has as many writes in flight as it may', () => {
  it('answers its next write 429 LOG_TOO_MANY_WRITES with Retry-After, before reading a byte of its body', async () => {
    const { url } = await start({ writesPerClient: 2, headersTimeoutMs: 60_000 });
    const holding = await Promise.all([client(url), client(url)]);
    for (const { socket } of holding) {
      socket.write(
        `POST /add HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 10\r\n\r\nabc`,
      );
    }
    // Both are admitted (their bodies are being read); a third is refused on its headers alone.
    let refused: Response | undefined;
    await until(async () => {
      refused = await add(url, 'third');
      return refused.status === 429;
    });
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused?.json()) as { error: { code: string } }).error.code).toBe(
      'LOG_TOO_MANY_WRITES',
    );
    // Reads are not writes.
    expect((await fetch(`${url}/checkpoint`)).status).toBe(200);
    // One finishes: its slot is free again.
    const first = holding[0];
    first.socket.write('defghij');
    await until(() => first.received().startsWith('HTTP/1.1 200'));
    expect((await add(url, 'third, again')).status).toBe(200);
  }, 30_000);
});

describe('when an unauthenticated client sends a write', () => {
  it('is refused on its headers and takes no write slot', async () => {
    const { url } = await start({ writesPerClient: 1, headersTimeoutMs: 60_000 });
    for (let i = 0; i < 5; i += 1) expect((await add(url, `x${i}`, 'wrong')).status).toBe(401);
    expect((await add(url, 'right')).status).toBe(200);
  });
});

describe('when unauthenticated publishers send statement bodies one byte at a time', () => {
  it('buffers no more than the write budget, cuts them off at the deadline and holds nothing after', async () => {
    temp = tempDir();
    const statements = await startServer({
      dir: temp.dir,
      // Deadlines long enough that no admitted body is cut before every client sent its headers.
      limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 3_000, writeBufferBytes: 4 * 262_144 },
    });
    try {
      const slow = await Promise.all(Array.from({ length: 40 }, () => client(statements.url)));
      for (const { socket } of slow) {
        socket.write(
          'POST /v1/statements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n',
        );
        trickle(socket, '{'.repeat(200_000));
      }
      await Promise.all(slow.map((c) => c.closed));
      const answers = slow.map((c) => /^HTTP\/1\.1 (\d{3})/.exec(c.received())?.[1] ?? 'closed');
      // Five bodies of 200,000 bytes fit the budget of 1 MiB; every other one was refused unread.
      expect(answers.filter((a) => a === '503').length).toBe(35);
      await until(async () => (await openConnections(statements.app)) === 0);
    } finally {
      await statements.close();
    }
  }, 30_000);
});
