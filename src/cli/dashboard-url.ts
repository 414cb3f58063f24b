/**
 * Where the dashboard of this configuration is: the server `nospy serve` runs with it, when the
 * configuration names one. Pure: read from the configuration, nothing is probed over the network
 * (a check's output does not depend on what happens to answer on a port).
 */
import type { LoadedConfig } from '../config/load.js';

export interface DashboardAddress {
  /** `http://<host>:<port>/`, the dashboard's overview. */
  readonly url: string;
  /** Whether the server asks for a read token (`server.tokens` is set). */
  readonly token: boolean;
}

/** Addresses that listen on every interface; this machine reaches them as localhost. */
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The dashboard of the server the configuration names (its `server:` section, a
 * `NOSPY_SERVER_*` variable or a flag), or undefined: the section's defaults alone name no
 * server, and port 0 (a free port chosen at start) has no address to give.
 */
export function dashboardAddress(loaded: LoadedConfig): DashboardAddress | undefined {
  if (!loaded.named.has('server')) return undefined;
  const { host, port, tokens } = loaded.config.server;
  if (port === 0) return undefined;
  const name = ANY_ADDRESS.has(host) ? 'localhost' : host;
  // RFC 3986 §3.2.2: an IPv6 literal is written in brackets.
  const authority = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  return { url: `http://${authority}:${port}/`, token: tokens !== undefined };
}
