import { errorText } from '../../errors/error-text.js';
import { StoreError } from '../errors.js';

/**
 * One synchronous call on a SQLite store, answered as the store ports answer: refused once the
 * store is closed, and any failure that is not already a StoreError reported as `STORE_IO`
 * naming what was being done.
 */
export function storeCall<T>(closed: boolean, what: string, work: () => T): Promise<T> {
  try {
    if (closed) throw new StoreError('STORE_IO', `cannot ${what}: the store is closed`);
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(
      error instanceof StoreError
        ? error
        : new StoreError('STORE_IO', `cannot ${what}: ${errorText(error)}`, { cause: error }),
    );
  }
}
