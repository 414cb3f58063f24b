import { describe, expect, it } from 'vitest';
import { findTokens } from './content.js';

describe('the one-pass content scanner', () => {
  it('finds a token that straddles the 1 MiB chunk boundary exactly once', () => {
    const data = Buffer.alloc(3 * 1024 * 1024, 0x20);
    const token = 'xmlset_roodkcableoj28840ybtide';
    for (const at of [
      1024 * 1024 - 10,
      2 * 1024 * 1024 - token.length,
      3 * 1024 * 1024 - token.length,
    ])
      data.write(token, at, 'latin1');
    expect(findTokens(data).get(token)).toEqual([
      1024 * 1024 - 10,
      2 * 1024 * 1024 - token.length,
      3 * 1024 * 1024 - token.length,
    ]);
  });

  it('reports byte offsets in binary data', () => {
    const data = Buffer.concat([Buffer.from([0xff, 0x00, 0xfe]), Buffer.from('BusyBox v1.2.3')]);
    expect(findTokens(data).get('BusyBox v')).toEqual([3]);
  });
});
