/** The scratch arrays one rule evaluation uses, allocated once per prepared inventory. */
import type { Scratch } from '../prepared-inventory.js';

export function newScratch(n: number): Scratch {
  // Small element types: V8 runs a full collection of the (large) heap once a process allocates
  // more than about 64 MB of array buffers since the last one, and a national inventory's
  // columns and scratch arrays come close.
  const marks = new Uint16Array(n);
  let mark = 0;
  return {
    candidates: new Int32Array(n),
    via: new Uint16Array(n),
    marks,
    state: new Uint16Array(n),
    nextMark() {
      mark += 1;
      if (mark === 0xffff) {
        marks.fill(0);
        mark = 1;
      }
      return mark;
    },
  };
}
