import type { ExporterSession } from './exporter-session.js';
import type { RecordFields } from './record-fields.js';

/** The 1-in-N rate an options record announces, or 0 when it announces none. */
function announcedRate(f: RecordFields): number {
  if (f.samplingInterval > 0) return f.samplingInterval;
  if (f.samplerRandom > 0) return f.samplerRandom;
  // IANA 305/306: n packets selected out of every n + space.
  if (f.packetInterval > 0 && f.packetSpace >= 0) {
    return Math.max(1, Math.round((f.packetInterval + f.packetSpace) / f.packetInterval));
  }
  return 0;
}

/**
 * Options data (RFC 3954 §6.2, RFC 7011 §4): remembers the sampler rates and the system init
 * time the record announces for this session.
 */
export function applyOptions(
  f: RecordFields,
  session: ExporterSession,
  limits: { maxSamplers: number },
): void {
  if (f.systemInitMs >= 0) session.systemInitMs = f.systemInitMs;
  const rate = announcedRate(f);
  if (rate <= 0) return;
  const id = f.samplerId >= 0 ? f.samplerId : f.selectorId;
  if (id >= 0) {
    if (session.samplers.has(id) || session.samplers.size < limits.maxSamplers)
      session.samplers.set(id, rate);
  } else {
    session.defaultSampling = rate;
  }
}

/** The 1-in-N sampling of a flow record: its own rate, its sampler's, the exporter's, or 1. */
export function samplingFor(f: RecordFields, session: ExporterSession): number {
  if (f.samplingInterval > 0) return f.samplingInterval;
  if (f.samplerRandom > 0) return f.samplerRandom;
  const id = f.samplerId >= 0 ? f.samplerId : f.selectorId;
  if (id >= 0) {
    const rate = session.samplers.get(id);
    if (rate !== undefined) return rate;
  }
  return session.defaultSampling > 0 ? session.defaultSampling : 1;
}
