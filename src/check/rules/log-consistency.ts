/**
 * log-inconsistency: the log signed two checkpoints that cannot both be true — two roots at one
 * size, or a tree that does not extend an earlier one. The adapter (src/log/consistency) found
 * and proved each; the finding carries the proof as its evidence, which `nospy verify` checks
 * offline with only the log's verifier key.
 */
import type { Finding } from '../finding.js';
import type { EvidenceIndex } from '../evidence-index.js';
import { makeFinding } from '../make-finding.js';
import { parseCheckpoint } from '../../tlog/checkpoint.js';
import { parseNote } from '../../tlog/note.js';

/** Findings of kind `log-inconsistency`. */
export function logInconsistencies(ctx: EvidenceIndex): Finding[] {
  return (ctx.evidence.inconsistencies ?? []).map((evidence) => {
    const [older, newer] = [evidence.older, evidence.newer].map((seen) =>
      parseCheckpoint(parseNote(seen.checkpoint).text),
    );
    const sizes = `${older?.size ?? '?'}:${older?.rootHash.toString('base64') ?? ''}\u0000${newer?.size ?? '?'}:${newer?.rootHash.toString('base64') ?? ''}`;
    return makeFinding({
      kind: 'log-inconsistency',
      severity: 'critical',
      subject: { log: evidence.origin },
      breaks: { type: 'log', property: 'consistency' },
      what: sizes,
      firstSeen: ctx.now,
      lastSeen: ctx.now,
      explanation:
        evidence.conflict === 'two-roots-at-one-size'
          ? `Log ${evidence.origin} signed two different trees of size ${older?.size ?? '?'} (${evidence.older.seenBy} vs ${evidence.newer.seenBy}): it shows different histories to different parties.`
          : `Log ${evidence.origin} at size ${newer?.size ?? '?'} (${evidence.newer.seenBy}) does not extend its own checkpoint of size ${older?.size ?? '?'} (${evidence.older.seenBy}): it rewrote or forked its history.`,
      evidence: [evidence],
    });
  });
}
