import { describe, expect, it } from 'vitest';
import { FullTileCache } from './full-tile-cache.js';

describe('FullTileCache', () => {
  it('answers a tile it was given, byte for byte', () => {
    const cache = new FullTileCache(1024);
    cache.set('0/1', Buffer.from('tile'));
    expect(cache.get('0/1')?.toString()).toBe('tile');
    expect(cache.get('0/2')).toBeUndefined();
  });

  describe('when its bytes are spent', () => {
    it('lets the least recently used tile go first', () => {
      const cache = new FullTileCache(8);
      cache.set('a', Buffer.alloc(4));
      cache.set('b', Buffer.alloc(4));
      cache.get('a');
      cache.set('c', Buffer.alloc(4));
      expect(cache.get('a')).toBeDefined();
      expect(cache.get('b')).toBeUndefined();
      expect(cache.get('c')).toBeDefined();
    });

    it('keeps nothing larger than all its bytes', () => {
      const cache = new FullTileCache(8);
      cache.set('big', Buffer.alloc(9));
      expect(cache.get('big')).toBeUndefined();
    });
  });
});
