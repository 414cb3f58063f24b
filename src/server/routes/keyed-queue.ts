/**
 * Runs work one at a time per key, and concurrently across keys: two submissions of one
 * statement are placed in turn, so the second sees the first's entry.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier `run` with the same key has settled. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const result = before.then(work, work);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      // The map holds only keys with work pending or running.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
