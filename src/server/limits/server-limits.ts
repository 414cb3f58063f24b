/**
 * How long a client may take and how much of the server it may hold: the deadlines of a request
 * and of its connection, the cap on open connections, and the admission of writes (per client
 * and in buffered bytes). Defaults here are the documented ones (docs/security.md); `nospy serve`
 * takes each from the config (`server.*`).
 */
export interface ServerLimits {
  /** Time to receive a request's headers, from its first byte (Node `headersTimeout`). */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, headers and body (Node `requestTimeout`): answered 408. */
  readonly requestTimeoutMs: number;
  /** A socket with no traffic either way for this long is closed (Node `server.setTimeout`). */
  readonly idleTimeoutMs: number;
  /** How long a kept-alive connection waits for its next request (Node `keepAliveTimeout`). */
  readonly keepAliveTimeoutMs: number;
  /** Open connections beyond which new ones are closed at once (Node `server.maxConnections`). */
  readonly maxConnections: number;
  /** Write requests (POST /add, POST /v1/statements, PUT /v1/blobs) one client address may have in flight; more: 429. */
  readonly writesPerClient: number;
  /**
   * Bytes that the buffered write bodies in flight (POST /add, POST /v1/statements) may hold
   * together, counted by their declared length or their route's bound; beyond: 503.
   */
  readonly writeBufferBytes: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  // Longer than an append may wait for its witness quorum: the socket is silent meanwhile.
  idleTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 4_096,
  writesPerClient: 64,
  writeBufferBytes: 64 * 1024 * 1024,
};

/** The limits given, the defaults for the others (extra fields, as the config's host, ignored). */
export function serverLimits(given: Partial<ServerLimits> | undefined): ServerLimits {
  const pick = (name: keyof ServerLimits): number => given?.[name] ?? DEFAULT_SERVER_LIMITS[name];
  return {
    // Node refuses a headers deadline beyond the request's.
    headersTimeoutMs: Math.min(pick('headersTimeoutMs'), pick('requestTimeoutMs')),
    requestTimeoutMs: pick('requestTimeoutMs'),
    idleTimeoutMs: pick('idleTimeoutMs'),
    keepAliveTimeoutMs: pick('keepAliveTimeoutMs'),
    maxConnections: pick('maxConnections'),
    writesPerClient: pick('writesPerClient'),
    writeBufferBytes: pick('writeBufferBytes'),
  };
}

/**
 * Fastify's and Node's options for these limits. Node checks the header and request deadlines
 * every `connectionsCheckingInterval` (30 s by default, which would let a slow client stay that
 * much longer than its deadline): here a quarter of the shorter deadline, at most a second.
 */
export function httpServerOptions(limits: ServerLimits): {
  connectionTimeout: number;
  keepAliveTimeout: number;
  requestTimeout: number;
  http: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
} {
  return {
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(
        10,
        Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4)),
      ),
    },
  };
}
