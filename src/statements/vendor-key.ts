/**
 * Vendor names as the absence checks compare them: the same comparison as nospy check's
 * (`vendorKey` in src/check/context.ts), so a verifier counts the releases the check counted.
 */

/** Vendor names compare as nospy check compares them: case, punctuation and spacing ignored. */
export function vendorKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
