/**
 * CVSS v3.0/v3.1 base score from a vector string (FIRST CVSS v3.1 Specification §7.1, §7.4
 * Roundup, §5 qualitative rating). OSV gives the vector only; reports want the number too.
 */

export interface CvssScore {
  readonly baseScore: number;
  readonly rating: 'None' | 'Low' | 'Medium' | 'High' | 'Critical';
}

// §7.4 metric values.
const WEIGHTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};
const PRIVILEGES = {
  U: { N: 0.85, L: 0.62, H: 0.27 },
  C: { N: 0.85, L: 0.68, H: 0.5 },
} as const;

/** §Appendix A Roundup: the smallest one-decimal number ≥ the input, free of float noise. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}

function ratingOf(score: number): CvssScore['rating'] {
  if (score === 0) return 'None';
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  if (score < 9) return 'High';
  return 'Critical';
}

/** The base score of a `CVSS:3.x/…` vector; undefined for anything else or a broken vector. */
export function cvss3BaseScore(vector: string): CvssScore | undefined {
  const [prefix, ...parts] = vector.trim().split('/');
  if (prefix !== 'CVSS:3.0' && prefix !== 'CVSS:3.1') return undefined;
  const metrics = new Map<string, string>();
  for (const part of parts) {
    const [key, value, extra] = part.split(':');
    if (key === undefined || value === undefined || extra !== undefined || metrics.has(key))
      return undefined;
    metrics.set(key, value);
  }
  const scope = metrics.get('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const weight = (key: string): number | undefined => {
    const value = metrics.get(key);
    return value === undefined ? undefined : WEIGHTS[key]?.[value];
  };
  const pr = metrics.get('PR');
  const privileges = pr === 'N' || pr === 'L' || pr === 'H' ? PRIVILEGES[scope][pr] : undefined;
  const [av, ac, ui, c, i, a] = ['AV', 'AC', 'UI', 'C', 'I', 'A'].map(weight);
  if (
    av === undefined ||
    ac === undefined ||
    ui === undefined ||
    c === undefined ||
    i === undefined ||
    a === undefined ||
    privileges === undefined
  ) {
    return undefined;
  }
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av * ac * privileges * ui;
  const baseScore =
    impact <= 0
      ? 0
      : scope === 'U'
        ? roundUp(Math.min(impact + exploitability, 10))
        : roundUp(Math.min(1.08 * (impact + exploitability), 10));
  return { baseScore, rating: ratingOf(baseScore) };
}
