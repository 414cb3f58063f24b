/**
 * Keeps the decode pool's workers busy with the blocks a scan will ask for next. A scan reads a
 * tree's files in listing order, so while it reads file i the blocks of the files after it are
 * already being decoded on other cores; most files of an image are a block or two, so decoding
 * one file's blocks in parallel alone would gain little. The window is bounded in blocks and
 * bytes, and a read out of order (a rule that looks at /etc/passwd first) is served in place
 * without losing the plan.
 *
 * The reading thread works too: when the block it needs is still on a worker, it decodes the
 * next planned block that no worker has yet, instead of sleeping until the worker answers.
 * Workers are handed only a few blocks each, so that such blocks remain; on a loaded machine a
 * thread that sleeps also waits for the scheduler to run it again.
 */
import type { BlockCodec } from '../../codecs/block-decoders.js';
import { DecodePoolStalled, type BlockDecodePool } from '../../codecs/decode-pool.js';
import type { SquashfsInode } from './inode.js';
import { NO_FRAGMENT } from './inode.js';
import type { BlockSource, SquashfsImage } from './image.js';

type FileInode = Extract<SquashfsInode, { kind: 'file' }>;

/** Bit 24 of a block size: stored uncompressed, nothing to decode (squashfs_fs.h). */
const UNCOMPRESSED_BLOCK = 1 << 24;
/**
 * Blocks per worker handed out ahead: enough that none waits while the scan catches up, few
 * enough that blocks remain for the reading thread to decode while it waits.
 */
const BLOCKS_PER_WORKER = 6;
/** Blocks planned ahead per worker in all: those not handed out are the reader's to take. */
const PLANNED_PER_WORKER = 16;
/** Decoded bytes held ahead of the scan, at most. */
const MAX_AHEAD_BYTES = 32 * 1024 * 1024;

interface PlannedBlock {
  readonly file: number;
  readonly at: number;
  readonly length: number;
}

/**
 * A tree dropped before all its planned blocks were read leaves their jobs in the shared pool;
 * they are cancelled when the read-ahead is collected, so the pool does not keep their results.
 */
const abandoned = new FinalizationRegistry<{ pool: BlockDecodePool; ids: Set<number> }>(
  ({ pool, ids }) => {
    for (const id of ids) pool.cancel(id);
  },
);

export class SquashfsReadAhead implements BlockSource {
  /** Jobs handed out, by the block's offset in the image. */
  readonly #planned = new Map<
    number,
    { readonly id: number; readonly file: number; readonly length: number }
  >();
  /** The listing position the plan continues from, and its blocks not yet handed out. */
  #next = 0;
  #queue: PlannedBlock[] = [];
  #fragmentsPlanned = new Set<number>();
  /** The file being read: blocks planned for files before it are no longer wanted. */
  #reading = -1;
  /** The ids in `#planned`, apart from this object, for the finalizer. */
  readonly #ids = new Set<number>();
  /** Blocks the reading thread decoded while it waited, by offset, until their file reads them. */
  readonly #stolen = new Map<
    number,
    { readonly file: number; readonly length: number; readonly data: Buffer }
  >();

  constructor(
    private readonly image: SquashfsImage,
    private readonly codec: BlockCodec,
    private readonly pool: BlockDecodePool,
    private readonly files: readonly FileInode[],
  ) {
    abandoned.register(this, { pool, ids: this.#ids });
  }

  #forget(at: number, cancel: boolean): void {
    const job = this.#planned.get(at);
    if (job === undefined) return;
    this.#planned.delete(at);
    this.#ids.delete(job.id);
    if (cancel) this.pool.cancel(job.id);
  }

  /** Says that file `index` of the listing is about to be read, and plans past it. */
  reading(index: number): void {
    if (index < this.#reading || index > this.#next) {
      // Out of order: start the plan again from here.
      for (const at of [...this.#planned.keys()]) this.#forget(at, true);
      this.#stolen.clear();
      this.#queue = [];
      this.#fragmentsPlanned.clear();
      this.#next = index;
    } else {
      for (const [at, job] of [...this.#planned]) if (job.file < index) this.#forget(at, true);
      for (const [at, block] of [...this.#stolen]) if (block.file < index) this.#stolen.delete(at);
    }
    this.#reading = index;
    this.#fill();
  }

  decoded(at: number, length: number): Buffer {
    const stolen = this.#stolen.get(at);
    if (stolen !== undefined) {
      this.#stolen.delete(at);
      // Decoded as another file claimed it: a different size is a hostile image (see below).
      if (stolen.length === length) return stolen.data;
    }
    const job = this.#planned.get(at);
    if (job === undefined) {
      // Planned but not handed out yet: decoded here, so neither a worker nor a later wait
      // decodes it again.
      const queued = this.#queue.findIndex((block) => block.at === at);
      if (queued !== -1) this.#queue.splice(queued, 1);
      return this.image.decoded(at, length);
    }
    if (job.length !== length) {
      // Two files that claim the same offset with different sizes: a hostile image. Decode
      // what this file claims, as the reader would without a read-ahead.
      this.#forget(at, true);
      return this.image.decoded(at, length);
    }
    // Decode what no worker has yet while this block is still being decoded elsewhere.
    while (!this.pool.done(job.id) && this.#steal()) this.#fill();
    this.#forget(at, false);
    let data: Buffer;
    try {
      data = this.pool.take(job.id);
    } catch (error) {
      if (!(error instanceof DecodePoolStalled)) throw error;
      return this.image.decoded(at, length);
    }
    this.#fill();
    return data;
  }

  /**
   * Decodes here the next planned block no worker has, keeping it for its read; false when there
   * is none to take or the window is full. A block that does not decode is left for its read,
   * which decodes it again in place and reports it.
   */
  #steal(): boolean {
    if (this.#planned.size + this.#stolen.size >= this.#window(PLANNED_PER_WORKER)) return false;
    for (;;) {
      const block = this.#queue.shift() ?? this.#plan();
      if (block === undefined) return false;
      if (block.file < this.#reading || this.#planned.has(block.at) || this.#stolen.has(block.at))
        continue;
      try {
        const data = this.image.decoded(block.at, block.length);
        this.#stolen.set(block.at, { file: block.file, length: block.length, data });
      } catch {
        // reported by the read of its file
      }
      return true;
    }
  }

  /** Blocks held ahead of the scan at most, `perWorker` for each ready worker. */
  #window(perWorker: number): number {
    const blockSize = this.image.superblock.blockSize;
    return Math.min(this.pool.ready * perWorker, Math.floor(MAX_AHEAD_BYTES / blockSize));
  }

  /**
   * Hands out planned blocks once the workers are down to half of BLOCKS_PER_WORKER each, up to
   * that many again, in one message per worker: a message costs the reading thread more than
   * the copy of a block does, so blocks go out a few at a time.
   */
  #fill(): void {
    const blockSize = this.image.superblock.blockSize;
    const busy = this.#window(BLOCKS_PER_WORKER);
    const held = this.#window(PLANNED_PER_WORKER);
    const inFlight = this.pool.inFlight;
    if (inFlight > busy / 2) return;
    const batch: PlannedBlock[] = [];
    while (
      inFlight + batch.length < busy &&
      this.#planned.size + this.#stolen.size + batch.length < held
    ) {
      const block = this.#queue.shift() ?? this.#plan();
      if (block === undefined) break;
      if (
        block.file < this.#reading ||
        this.#planned.has(block.at) ||
        this.#stolen.has(block.at) ||
        batch.some((b) => b.at === block.at)
      )
        continue;
      batch.push(block);
    }
    const lanes = Math.max(1, this.pool.ready);
    const share = Math.ceil(batch.length / lanes);
    for (let first = 0; first < batch.length; first += share) {
      const part = batch.slice(first, first + share);
      const ids = this.pool.submitBatch(
        this.codec,
        part.map((block) => this.image.stored(block.at, block.length)),
        blockSize,
      );
      if (ids === undefined) {
        this.#queue.unshift(...batch.slice(first));
        return;
      }
      part.forEach((block, i) => {
        const id = ids[i] as number;
        this.#planned.set(block.at, { id, file: block.file, length: block.length });
        this.#ids.add(id);
      });
    }
  }

  /** The compressed blocks of the next file in the listing (queued), the first returned. */
  #plan(): PlannedBlock | undefined {
    const { blockSize, bytesUsed } = this.image.superblock;
    while (this.#next < this.files.length) {
      const index = this.#next;
      const file = this.files[index] as FileInode;
      this.#next += 1;
      let at = file.blocksStart;
      for (const stored of file.blockSizes) {
        const length = stored & ~UNCOMPRESSED_BLOCK;
        // Malformed sizes are not planned: the read reports them, in place.
        if (length > blockSize || at + length > bytesUsed) break;
        if (length !== 0 && (stored & UNCOMPRESSED_BLOCK) === 0)
          this.#queue.push({ file: index, at, length });
        at += length;
      }
      const fragment = file.fragment;
      if (
        fragment !== NO_FRAGMENT &&
        !this.#fragmentsPlanned.has(fragment) &&
        !this.image.hasFragment(fragment)
      ) {
        this.#fragmentsPlanned.add(fragment);
        const entry = this.#fragmentEntry(fragment);
        const length = (entry?.size ?? 0) & ~UNCOMPRESSED_BLOCK;
        if (
          entry !== undefined &&
          (entry.size & UNCOMPRESSED_BLOCK) === 0 &&
          length !== 0 &&
          length <= blockSize &&
          entry.start + length <= bytesUsed
        )
          this.#queue.push({ file: index, at: entry.start, length });
      }
      const first = this.#queue.shift();
      if (first !== undefined) return first;
    }
    return undefined;
  }

  #fragmentEntry(index: number): ReturnType<SquashfsImage['fragmentLocation']> {
    try {
      return this.image.fragmentLocation(index);
    } catch {
      return undefined; // a damaged fragment table: the read says so, in place
    }
  }
}
