import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodecError } from './codec-error.js';
import { BlockDecodePool } from './decode-pool.js';

const text = (n: number): Buffer => Buffer.from(`block ${n} `.repeat(2000 + n));
const { xz } = createRequire(import.meta.url)('@napi-rs/lzma') as typeof import('@napi-rs/lzma');

describe('a pool of two decoding threads', () => {
  let pool: BlockDecodePool;
  beforeAll(async () => {
    pool = new BlockDecodePool(2);
    // Workers load their decoders on their own; wait until both can take blocks.
    while (pool.ready < 2) await new Promise((resolve) => setTimeout(resolve, 20));
  });
  afterAll(async () => {
    await pool.close();
  });

  it('decodes zlib and xz blocks to the bytes that were packed, taken in any order', () => {
    const plain = [0, 1, 2, 3, 4, 5].map(text);
    const ids = plain.map((bytes, i) =>
      i % 2 === 0
        ? pool.submit('gzip', deflateSync(bytes), bytes.length)
        : pool.submit('xz', xz.compressSync(bytes), bytes.length),
    );
    expect(ids.every((id) => id !== undefined)).toBe(true);
    for (const i of [5, 0, 3, 1, 4, 2])
      expect(pool.take(ids[i] as number).equals(plain[i] as Buffer)).toBe(true);
    expect(pool.outstanding).toBe(0);
  });

  it('answers a block that does not decode with the CodecError the decoder gives', () => {
    const id = pool.submit('gzip', Buffer.from('not zlib at all'), 1024) as number;
    expect(() => pool.take(id)).toThrow(CodecError);
    expect(() => pool.take(id)).toThrow(/never submitted, or was taken or cancelled/);
  });

  it('keeps the output bound of each block', () => {
    const bytes = text(9);
    const id = pool.submit('gzip', deflateSync(bytes), bytes.length - 1) as number;
    expect(() => pool.take(id)).toThrow(/exceeds/);
  });

  it('drops the result of a job that was cancelled, and still answers the next one', () => {
    const unwanted = pool.submit('gzip', deflateSync(text(1)), 1 << 20) as number;
    pool.cancel(unwanted);
    const wanted = pool.submit('gzip', deflateSync(text(2)), 1 << 20) as number;
    expect(pool.take(wanted).equals(text(2))).toBe(true);
    expect(() => pool.take(unwanted)).toThrow(/never submitted, or was taken or cancelled/);
  });

  it('says when a job is done without waiting for it, and counts the jobs still to do', async () => {
    const bytes = text(3);
    const id = pool.submit('gzip', deflateSync(bytes), bytes.length) as number;
    expect(pool.inFlight).toBeLessThanOrEqual(1);
    // Nothing here waits: the caller polls as a reader with other work would.
    while (!pool.done(id)) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pool.inFlight).toBe(0);
    expect(pool.done(id)).toBe(true);
    expect(pool.take(id).equals(bytes)).toBe(true);
  });

  it('hands a decoded block back in memory that holds little else, whether moved or copied', () => {
    for (const size of [100, 5000, 100_000, 128 * 1024]) {
      const bytes = Buffer.alloc(size, size % 251);
      const id = pool.submit('gzip', deflateSync(bytes), 128 * 1024) as number;
      const out = pool.take(id);
      expect(out.equals(bytes)).toBe(true);
      // A reader that keeps a small file must not keep a large allocation alive with it.
      expect(out.buffer.byteLength).toBeLessThanOrEqual(Math.max(2 * size, Buffer.poolSize));
    }
  });
});

describe('a pool with no threads', () => {
  it('declines every block, so the caller decodes it in place', () => {
    const pool = new BlockDecodePool(0);
    expect(pool.ready).toBe(0);
    expect(pool.submit('gzip', deflateSync(text(1)), 1 << 20)).toBeUndefined();
  });
});
