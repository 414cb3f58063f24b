import { afterEach, describe, expect, it } from 'vitest';
import { capInputBytes } from '../../io/bounded-read.js';
import { fileSha256 } from './releases.js';

afterEach(() => {
  capInputBytes(undefined);
});

describe('the digest of an image named in the configuration', () => {
  it('stops hashing a device at the image limit instead of reading it for ever', async () => {
    capInputBytes(1024 * 1024);
    await expect(fileSha256('/dev/zero')).rejects.toThrow(/more than the limit of 1048576 bytes/);
  });
});
