/**
 * The user's keys, kept in this browser's localStorage (never sent anywhere): the text as pasted
 * or uploaded, and the file name if it came from a file. Parsed again on every load.
 */
import { MAX_TRUST_TEXT } from './verify/user-trust.js';

const STORAGE_KEY = 'nospy.trust';

export interface StoredTrust {
  readonly text: string;
  readonly name?: string;
}

export function loadStoredTrust(): StoredTrust | undefined {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (raw === null || raw.length > 2 * MAX_TRUST_TEXT) return undefined;
  try {
    const value = JSON.parse(raw) as { text?: unknown; name?: unknown };
    if (typeof value.text !== 'string') return undefined;
    return typeof value.name === 'string'
      ? { text: value.text, name: value.name }
      : { text: value.text };
  } catch {
    return undefined;
  }
}

export function saveStoredTrust(trust: StoredTrust): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(trust));
}

export function forgetStoredTrust(): void {
  localStorage.removeItem(STORAGE_KEY);
}
