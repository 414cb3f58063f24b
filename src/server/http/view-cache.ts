import type { EncodedBody } from './encoded-body.js';

export interface ViewCacheLimits {
  /** Views kept per version; the oldest goes first. */
  readonly maxViews: number;
  /** Bytes of uncompressed views kept per version; a larger view is not kept at all. */
  readonly maxBytes: number;
}

const DEFAULT_LIMITS: ViewCacheLimits = { maxViews: 512, maxBytes: 64 * 1024 * 1024 };

/**
 * Serialised responses of one data version, by request URL. A new version (a new snapshot
 * object: the log grew, the report was recomputed) drops every view of the old one, so a view is
 * never served for data it was not made from; within a version the oldest views go first once
 * the count or byte bound is reached.
 */
export class ViewCache<Version extends object> {
  readonly #limits: ViewCacheLimits;
  #version: Version | undefined;
  #views = new Map<string, EncodedBody>();
  #bytes = 0;

  constructor(limits: Partial<ViewCacheLimits> = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get(version: Version, key: string): EncodedBody | undefined {
    return this.#version === version ? this.#views.get(key) : undefined;
  }

  set(version: Version, key: string, view: EncodedBody): void {
    if (this.#version !== version) {
      this.#version = version;
      this.#views = new Map();
      this.#bytes = 0;
    }
    const size = view.identity.length;
    if (size > this.#limits.maxBytes) return;
    const old = this.#views.get(key);
    if (old !== undefined) {
      this.#views.delete(key);
      this.#bytes -= old.identity.length;
    }
    while (
      this.#views.size > 0 &&
      (this.#views.size >= this.#limits.maxViews || this.#bytes + size > this.#limits.maxBytes)
    ) {
      const [oldestKey, oldest] = this.#views.entries().next().value as [string, EncodedBody];
      this.#views.delete(oldestKey);
      this.#bytes -= oldest.identity.length;
    }
    this.#views.set(key, view);
    this.#bytes += size;
  }
}
