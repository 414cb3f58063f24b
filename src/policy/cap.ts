/**
 * Share caps in integer maths (policy reference, RULE KINDS, cap): traffic is summed in whole
 * thousandths of a GB, premises and sites are counts, and a breach is decided by comparing
 * cross products, so a share of exactly the cap is compliant and no rounding decides a breach.
 */
import type { Measure } from './schema.js';

/** One measure of one cap on one day. */
export interface MeasureResult {
  /** Entity sites / traffic (GB per day) / premises. */
  readonly numerator: number;
  /** All sites / traffic / premises of the population. */
  readonly denominator: number;
  /** numerator / denominator rounded to 6 decimals (display only: `breach` is exact). */
  readonly share: number;
  readonly breach: boolean;
}

/** Traffic is compared in thousandths of a GB per day: the inventory allows three decimals. */
export const TRAFFIC_SCALE = 1000;

/** Integer totals of one measure: population (denominator) and entity items (numerator). */
export interface MeasureTotals {
  readonly numerator: number;
  readonly denominator: number;
}

/**
 * Whether numerator/denominator exceeds capNumerator/capDenominator:
 * capDenominator·numerator > capNumerator·denominator, in BigInt because national traffic sums
 * times a share scale pass 2^53.
 */
export function breaches(
  totals: MeasureTotals,
  capNumerator: number,
  capDenominator: number,
): boolean {
  return (
    BigInt(capDenominator) * BigInt(totals.numerator) >
    BigInt(capNumerator) * BigInt(totals.denominator)
  );
}

/** The reported form of a measure: traffic back in GB per day, share to 6 decimals. */
export function measureResult(
  measure: Measure,
  totals: MeasureTotals,
  capNumerator: number,
  capDenominator: number,
): MeasureResult {
  const scale = measure === 'traffic' ? TRAFFIC_SCALE : 1;
  return {
    numerator: totals.numerator / scale,
    denominator: totals.denominator / scale,
    share: roundShare(totals.numerator, totals.denominator),
    breach: breaches(totals, capNumerator, capDenominator),
  };
}

/** numerator/denominator rounded half-up to 6 decimals, from integers (0 when denominator is 0). */
export function roundShare(numerator: number, denominator: number): number {
  if (denominator === 0) return 0;
  const n = BigInt(numerator) * 1_000_000n;
  const d = BigInt(denominator);
  const millionths = (2n * n + d) / (2n * d);
  return Number(millionths) / 1_000_000;
}

/**
 * How much of the numerator must go (replaced like for like, so the denominator stays) for the
 * share to be at most the cap: numerator − floor(cap·denominator).
 */
export function excessOver(
  totals: MeasureTotals,
  capNumerator: number,
  capDenominator: number,
): number {
  const allowed = (BigInt(capNumerator) * BigInt(totals.denominator)) / BigInt(capDenominator);
  const excess = BigInt(totals.numerator) - allowed;
  return excess > 0n ? Number(excess) : 0;
}
