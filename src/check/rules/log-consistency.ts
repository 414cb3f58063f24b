/**
 * log-inconsistency: two checkpoints of one log that do not verify as consistent (the adapter
 * ran the consistency proof), and witnesses that disagree (the same size with two roots).
 */
import type { Finding } from '../finding.js';
import type { EvidenceIndex } from '../evidence-index.js';
import { makeFinding } from '../make-finding.js';
import type { CheckpointObservation } from '../evidence.js';

/** Findings of kind `log-inconsistency`. */
export function logInconsistencies(ctx: EvidenceIndex): Finding[] {
  const out: Finding[] = [];
  for (const f of ctx.evidence.failedConsistency ?? []) {
    out.push(
      makeFinding({
        kind: 'log-inconsistency',
        severity: 'critical',
        subject: { log: f.origin },
        breaks: { type: 'log', property: 'consistency' },
        what: `${f.older.size}:${f.older.rootHash}\u0000${f.newer.size}:${f.newer.rootHash}`,
        firstSeen: ctx.now,
        lastSeen: ctx.now,
        explanation: `Log ${f.origin} at size ${f.newer.size} (${f.newer.seenBy}) is not an extension of size ${f.older.size} (${f.older.seenBy}): ${f.reason}.`,
        evidence: [
          { type: 'checkpoints', checkpoints: [f.older.note, f.newer.note], detail: f.reason },
        ],
      }),
    );
  }
  // Same origin and size, different roots: a split view, whoever signed them.
  const bySize = new Map<string, Map<string, CheckpointObservation>>();
  for (const c of ctx.evidence.checkpoints ?? []) {
    const key = `${c.origin}\u0000${c.size}`;
    const roots = bySize.get(key) ?? new Map<string, CheckpointObservation>();
    if (!roots.has(c.rootHash)) roots.set(c.rootHash, c);
    bySize.set(key, roots);
  }
  for (const roots of bySize.values()) {
    if (roots.size < 2) continue;
    const seen = [...roots.values()].sort((a, b) => a.rootHash.localeCompare(b.rootHash));
    const first = seen[0];
    if (first === undefined) continue;
    out.push(
      makeFinding({
        kind: 'log-inconsistency',
        severity: 'critical',
        subject: { log: first.origin },
        breaks: { type: 'log', property: 'witness-agreement' },
        what: `split:${first.size}:${seen.map((c) => c.rootHash).join(',')}`,
        firstSeen: ctx.now,
        lastSeen: ctx.now,
        explanation: `Log ${first.origin} showed ${seen.length} different trees of size ${first.size} (${seen.map((c) => c.seenBy).join(' vs ')}).`,
        evidence: [
          {
            type: 'checkpoints',
            checkpoints: seen.map((c) => c.note),
            detail: `${seen.length} roots for size ${first.size}`,
          },
        ],
      }),
    );
  }
  return out;
}
