import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../inventory/model.js';
import { rankById } from './rank-by-id.js';

const items = (ids: string[]) => ids.map((id) => ({ id }) as InventoryItem);

describe('items ranked by id', () => {
  it('ranks items in id order and lists the item at each rank', () => {
    const { rank, byRank } = rankById(items(['c', 'a', 'b']), false);
    expect([...rank]).toEqual([2, 0, 1]);
    expect([...byRank]).toEqual([1, 2, 0]);
  });

  it('takes the inventory order as the id order when the items are sorted', () => {
    const { rank, byRank } = rankById(items(['a', 'b', 'c']), true);
    expect([...rank]).toEqual([0, 1, 2]);
    expect([...byRank]).toEqual([0, 1, 2]);
  });
});
