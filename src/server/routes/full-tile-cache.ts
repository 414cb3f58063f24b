/**
 * Full tiles and full entry bundles never change (c2sp.org/tlog-tiles), so a server may keep the
 * ones it served in memory and answer again without asking the store: the reads a monitor or a
 * CDN makes are mostly full tiles, and on PostgreSQL each would otherwise be a query (a bundle,
 * 256 rows). Least recently used first out, bounded by bytes.
 */
export class FullTileCache {
  readonly #maxBytes: number;
  readonly #tiles = new Map<string, Buffer>();
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get(path: string): Buffer | undefined {
    const body = this.#tiles.get(path);
    if (body !== undefined) {
      // Moved to the end: the Map's order is the recency order.
      this.#tiles.delete(path);
      this.#tiles.set(path, body);
    }
    return body;
  }

  set(path: string, body: Buffer): void {
    if (body.length > this.#maxBytes || this.#tiles.has(path)) return;
    this.#tiles.set(path, body);
    this.#bytes += body.length;
    for (const [oldest, old] of this.#tiles) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#tiles.delete(oldest);
      this.#bytes -= old.length;
    }
  }
}
