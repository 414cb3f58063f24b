import type { MudDeviation } from './model.js';

/** Where the match parsers put what they report: deviations, and why an ACE can never match. */
export interface MatchSink {
  readonly deviations: MudDeviation[];
  readonly unmatchable: string[];
}

export function deviate(
  sink: MatchSink,
  path: string,
  kind: MudDeviation['kind'],
  message: string,
): void {
  sink.deviations.push({ path, kind, message });
}

/** Records a node that makes its ACE unmatchable: it can only narrow, never widen, what is allowed. */
export function unmatchable(sink: MatchSink, path: string, reason: string): void {
  sink.unmatchable.push(`${path}: ${reason}`);
  deviate(sink, path, 'unmatchable-ace', `${reason}; the ACE never matches`);
}
