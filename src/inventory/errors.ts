import { NospyError } from '../errors/nospy-error.js';

export type InventoryErrorCode =
  'INVENTORY_NOT_FOUND' | 'INVENTORY_UNREADABLE' | 'INVENTORY_SYNTAX' | 'INVENTORY_INVALID';

/** An inventory file that is missing, unreadable, malformed or holds a wrong value. */
export class InventoryError extends NospyError<InventoryErrorCode> {
  override readonly name = 'InventoryError';
}
