/**
 * Vendor identity: the one decision, everywhere in nospy, of whether two vendor names name the
 * same vendor. The check engine (which release satisfies a device, which agreement judges a
 * finding), the proofs of absence and their verifiers (which releases are the vendor's), the
 * rule packs (whose items a share counts) and the read API (which records are one vendor's) all
 * ask this module, so a verifier counts exactly what the check counted.
 *
 * A name's key is its inventory normalisation (vendor.ts: NFKC, case folding, punctuation and
 * spacing by Unicode class, legal forms in Latin and Chinese script) with the spaces taken out:
 * "Acme Networks Inc." = "ACME-NETWORKS" = "Ａｃｍｅ Networks". Letters of every script are kept,
 * so "华为技术有限公司" and "中兴通讯股份有限公司" stay two vendors, as do two Cyrillic names.
 *
 * Aliases and subsidiaries are known only to a registry (the rule packs' `registry.yaml`): when
 * one is handed in, a name that resolves to a registry identity is that identity. The check
 * engine and the proofs of absence are handed none, on purpose: their evidence is re-checked by
 * third parties holding only the trust file, who must reach the same answer.
 */
import { foldName, normaliseVendorName, type VendorMatch, type VendorResolver } from './vendor.js';

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{M}\p{N}]/gu;

/**
 * The comparison key of a vendor name: equal keys, same vendor. Never empty for a name holding a
 * letter or digit of any script (a name that is nothing but a legal form keeps that form).
 */
export function vendorKey(name: string): string {
  const key = normaliseVendorName(name).replace(NOT_LETTER_OR_DIGIT, '');
  return key !== '' ? key : nameKey(name);
}

/**
 * A name compared without case, punctuation or spacing, and with no legal forms dropped: the key
 * of a product model ("NE40E-X8" = "ne40e x8"). Letters of every script are kept.
 */
export function nameKey(name: string): string {
  return foldName(name).replace(NOT_LETTER_OR_DIGIT, '');
}

/**
 * The identity a vendor name stands for: the registry identity it resolves to (prefixed `@`,
 * which no key holds), else its {@link vendorKey}. A not-affiliated near-miss ("Huawei Marine")
 * is its own vendor.
 */
export function vendorIdentity(name: string, registry?: VendorResolver): string {
  return identityOf(name, registry?.resolve(name));
}

/** {@link vendorIdentity} of a name whose registry match is already at hand. */
export function identityOf(name: string, match: VendorMatch | undefined): string {
  if (match !== undefined && match.role !== 'not-affiliated') return `@${match.identity}`;
  return vendorKey(name);
}

/**
 * Whether two vendor names name the same vendor: the same registry identity when a registry is
 * handed in and both resolve to one, else the same {@link vendorKey}.
 *
 * @example sameVendor('Acme Networks Inc.', 'ACME-NETWORKS') // true
 * @example sameVendor('华为技术有限公司', '中兴通讯股份有限公司') // false
 */
export function sameVendor(a: string, b: string, registry?: VendorResolver): boolean {
  return vendorIdentity(a, registry) === vendorIdentity(b, registry);
}
