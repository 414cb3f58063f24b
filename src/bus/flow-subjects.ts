/** The JetStream stream collectors publish to and workers consume from (docs/flows.md). */
export const FLOW_STREAM = 'NOSPY_FLOWS';
/** Subjects are `<prefix>.<exporter>`. */
export const FLOW_SUBJECT_PREFIX = 'flows';
/** The durable pull consumer every worker shares. */
export const FLOW_CONSUMER = 'nospy-traffic';

/** Where one deployment's flows travel: a stream, its subject prefix and its workers' consumer. */
export interface FlowBusNames {
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly consumer: string;
}

export const DEFAULT_FLOW_BUS_NAMES: FlowBusNames = {
  stream: FLOW_STREAM,
  subjectPrefix: FLOW_SUBJECT_PREFIX,
  consumer: FLOW_CONSUMER,
};

/**
 * The subject of an exporter's batches. A NATS subject token cannot hold `.` (the token
 * separator) and should not hold `:`; both become `_`, so `flows.*` matches every exporter and
 * `flows.192_0_2_1` one of them. An unknown exporter is `unknown`.
 */
export function flowSubject(prefix: string, exporter: string): string {
  const token = exporter === '' ? 'unknown' : exporter.replace(/[.:*>\s]/g, '_');
  return `${prefix}.${token}`;
}
