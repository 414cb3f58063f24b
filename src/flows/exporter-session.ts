import type { DecodeCounters } from './decode-counters.js';
import { sameTemplate, type Template } from './template.js';

/** Bounds on what one decoder keeps per exporter; hostile exporters cannot grow them. */
export interface SessionLimits {
  /** Exporter sessions (address + version + source ID / observation domain) kept at once. */
  readonly maxSessions: number;
  /** Templates per session; a new one beyond this is refused (counted). */
  readonly maxTemplatesPerSession: number;
  /** A template not refreshed for this long is forgotten (RFC 7011 §8.4, RFC 3954 §5.2). */
  readonly templateLifetimeMs: number;
  /** Data sets held for a template that has not arrived yet: per session, count and bytes. */
  readonly maxPendingSets: number;
  readonly maxPendingBytes: number;
  /** How long a held data set waits for its template before it is dropped (counted). */
  readonly pendingLifetimeMs: number;
  /** Samplers (sampler/selector IDs) per session. */
  readonly maxSamplers: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  maxSessions: 4096,
  maxTemplatesPerSession: 1024,
  templateLifetimeMs: 30 * 60_000,
  maxPendingSets: 256,
  maxPendingBytes: 1 << 20,
  pendingLifetimeMs: 60_000,
  maxSamplers: 256,
};

/** The export header context a held data set needs to be decoded later. */
export interface ExportContext {
  /** Export time from the message header, Unix ms. */
  readonly exportMs: number;
  /** NetFlow v9 sysUptime from the header, ms; -1 for IPFIX. */
  readonly sysUptimeMs: number;
}

/** A data set that arrived before its template (copied: the datagram buffer is reused). */
export interface PendingSet {
  readonly templateId: number;
  readonly bytes: Uint8Array;
  readonly context: ExportContext;
  readonly receivedAt: number;
}

/** One exporter's state: templates, samplers, the system init time, held data sets. */
export class ExporterSession {
  readonly templates = new Map<number, Template>();
  /** Sampler/selector ID → 1-in-N (RFC 3954 §6.2 FLOW_SAMPLER_*, RFC 7011 / IANA 302–306). */
  readonly samplers = new Map<number, number>();
  /** Exporter-wide sampling from an options record without a sampler ID; 0 when none. */
  defaultSampling = 0;
  /** IPFIX systemInitTimeMilliseconds (IE 160) from options data; -1 until known. */
  systemInitMs = -1;
  pending: PendingSet[] = [];
  pendingBytes = 0;
  lastSeen: number;

  constructor(
    readonly exporter: string,
    readonly domain: number,
    now: number,
  ) {
    this.lastSeen = now;
  }

  /** The live template with this ID, forgetting it when it outlived its lifetime. */
  template(id: number, now: number, limits: SessionLimits): Template | undefined {
    const template = this.templates.get(id);
    if (template !== undefined && now - template.refreshedAt > limits.templateLifetimeMs) {
      this.templates.delete(id);
      return undefined;
    }
    return template;
  }

  /** Adds or replaces a template (RFC 7011 §8.1: a new definition replaces the old one). */
  define(template: Template, limits: SessionLimits, counters: DecodeCounters): boolean {
    const previous = this.templates.get(template.id);
    if (previous === undefined && this.templates.size >= limits.maxTemplatesPerSession) {
      counters.drop('template-limit');
      return false;
    }
    if (previous !== undefined && !sameTemplate(previous, template))
      counters.templatesRedefined += 1;
    counters.templates += 1;
    this.templates.set(template.id, template);
    return true;
  }

  setSampler(id: number, rate: number, limits: SessionLimits): void {
    if (this.samplers.has(id) || this.samplers.size < limits.maxSamplers)
      this.samplers.set(id, rate);
  }

  /** Holds a data set for later; false (and counted) when the bounds say no. */
  hold(set: PendingSet, limits: SessionLimits, counters: DecodeCounters): void {
    this.expirePending(set.receivedAt, limits, counters);
    if (
      this.pending.length >= limits.maxPendingSets ||
      this.pendingBytes + set.bytes.length > limits.maxPendingBytes
    ) {
      counters.drop('pending-overflow');
      return;
    }
    this.pending.push(set);
    this.pendingBytes += set.bytes.length;
    counters.setsBuffered += 1;
  }

  /** Takes the held sets for a template that just arrived. */
  takePending(templateId: number): PendingSet[] {
    if (this.pending.length === 0) return [];
    const ready = this.pending.filter((set) => set.templateId === templateId);
    if (ready.length === 0) return ready;
    this.pending = this.pending.filter((set) => set.templateId !== templateId);
    this.pendingBytes = this.pending.reduce((sum, set) => sum + set.bytes.length, 0);
    return ready;
  }

  /** Drops held sets whose template never came in time. */
  expirePending(now: number, limits: SessionLimits, counters: DecodeCounters): void {
    if (this.pending.length === 0) return;
    const kept = this.pending.filter((set) => now - set.receivedAt <= limits.pendingLifetimeMs);
    if (kept.length !== this.pending.length) {
      counters.drop('template-missing-expired', this.pending.length - kept.length);
      this.pending = kept;
      this.pendingBytes = kept.reduce((sum, set) => sum + set.bytes.length, 0);
    }
  }
}

/** All sessions of one decoder, least recently seen evicted first when full. */
export class SessionTable {
  private readonly sessions = new Map<string, ExporterSession>();
  /**
   * The session of the previous datagram: a stream from one exporter skips the key and lookup.
   * Eviction happens only on a miss, which replaces it, so it never names an evicted session.
   */
  private last: ExporterSession | undefined;
  private lastVersion = 0;

  constructor(readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS) {}

  get size(): number {
    return this.sessions.size;
  }

  /** The session of (exporter, version, domain), created on first sight. */
  get(
    exporter: string,
    version: number,
    domain: number,
    now: number,
    counters: DecodeCounters,
  ): ExporterSession {
    const last = this.last;
    if (
      last !== undefined &&
      last.exporter === exporter &&
      last.domain === domain &&
      this.lastVersion === version &&
      now - last.lastSeen <= 1000
    ) {
      last.lastSeen = now;
      return last;
    }
    const key = `${exporter}|${version}|${domain}`;
    let session = this.sessions.get(key);
    if (session === undefined) {
      if (this.sessions.size >= this.limits.maxSessions) {
        const oldest = this.sessions.keys().next();
        if (oldest.done !== true) {
          const evicted = this.sessions.get(oldest.value);
          if (evicted !== undefined && evicted.pending.length > 0)
            counters.drop('session-evicted', evicted.pending.length);
          this.sessions.delete(oldest.value);
        }
      }
      session = new ExporterSession(exporter, domain, now);
      this.sessions.set(key, session);
    } else if (now - session.lastSeen > 1000) {
      // Refresh the LRU position at most once a second: cheap on the hot path.
      this.sessions.delete(key);
      this.sessions.set(key, session);
    }
    session.lastSeen = now;
    this.last = session;
    this.lastVersion = version;
    return session;
  }

  /** Drops every held data set that waited too long (call periodically, e.g. every second). */
  expire(now: number, counters: DecodeCounters): void {
    for (const session of this.sessions.values()) session.expirePending(now, this.limits, counters);
  }
}
