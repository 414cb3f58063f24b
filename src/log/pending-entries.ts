/** Entries waiting in the sequencer's queue, and where a batch may be cut among them. */
import type { Writer } from './acknowledgements.js';

export interface Pending extends Writer {
  readonly entry: Uint8Array;
  /** Entries of its group (addGroup) queued right after it: a batch is never cut between them. */
  readonly following: number;
}

/**
 * The cut at or near `count` that splits no group: before the group the cut would split, or, when
 * that group starts the queue, after its end (a group is never split, even past the batch bound).
 */
export function groupBoundary(queue: readonly Pending[], count: number): number {
  const last = queue[count - 1];
  if (last === undefined || last.following === 0) return count;
  let start = count - 1;
  while (start > 0 && queue[start - 1]?.following === (queue[start]?.following ?? 0) + 1) start--;
  return start > 0 ? start : count + last.following;
}
