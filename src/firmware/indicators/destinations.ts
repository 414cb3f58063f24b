import type { SimpleCommand } from './commands.js';
import { CLIENT_DEFAULTS, SCHEME_DEFAULTS, clientProtocol } from './client-ports.js';

/** A host a command contacts. */
export interface Destination {
  readonly host: string;
  readonly port?: number;
  /** The transport: the URL scheme's, or the client's (client-ports.ts); absent when unknown. */
  readonly protocol?: 'tcp' | 'udp';
  readonly url?: string;
  readonly program: string;
}

const URL_PATTERN =
  /\b((?:https?|ftp|tftp|wss?|mqtts?|telnet):\/\/)(?:[^\s'"`@/]*@)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?[^\s'"`]*/g;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** A DNS name with a letter TLD; script file names (`foo.sh`, `x.conf`) are excluded below. */
const HOSTNAME = /^(?=.{4,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}$/;
const NOT_HOSTS =
  /\.(sh|conf|cfg|txt|log|pid|lock|so|ko|bin|gz|xz|tar|json|xml|html?|js|css|lua|cgi|sock|d)$/i;

/** Programs whose bare host arguments are destinations. */
const CLIENTS = new Set([
  'wget',
  'curl',
  'nc',
  'netcat',
  'ncat',
  'tftp',
  'ftpget',
  'ftpput',
  'ntpclient',
  'ntpd',
  'ntpdate',
  'chronyd',
  'chronyc',
  'sntp',
  'rdate',
  'ssh',
  'dbclient',
  'scp',
  'telnet',
  'syslogd',
  'logread',
  'ping',
  'socat',
  'openssl',
  'mosquitto_pub',
  'mosquitto_sub',
]);

function isPublicishIpv4(text: string): boolean {
  const match = IPV4.exec(text);
  if (match === null) return false;
  const octets = match.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return false;
  const [a] = octets;
  // Not destinations: the unspecified address, loopback, broadcast/netmask-looking values.
  return a !== 0 && a !== 127 && a !== 255;
}

/** `host`, `host:port`, `TCP:host:port` → host and port, when the text names a host. */
function hostOf(word: string): { host: string; port?: number } | undefined {
  const text = word.replace(/^(tcp|udp|ssl|openssl)[46]?:/i, '');
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(text);
  if (match === null) return undefined;
  const host = match[1] ?? '';
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (isPublicishIpv4(host) || (HOSTNAME.test(host) && !NOT_HOSTS.test(host))) {
    return port === undefined ? { host: host.toLowerCase() } : { host: host.toLowerCase(), port };
  }
  return undefined;
}

const SSH_CLIENTS = new Set(['ssh', 'scp', 'dbclient']);

/** `user@host` (ssh, dbclient) and `[user@]host:path` (scp) → host: the SSH clients' forms. */
function sshTarget(program: string, arg: string): string {
  if (!SSH_CLIENTS.has(program)) return arg;
  const host = arg.replace(/^[^@\s]+@/, '');
  return program === 'scp' ? host.replace(/:(?!\d{1,5}$).*$/, '') : host;
}

/** URLs anywhere in a line, and host arguments of network clients. */
export function destinationsOf(commands: readonly SimpleCommand[]): Destination[] {
  const found: Destination[] = [];
  const seen = new Set<string>();
  const push = (d: Destination): void => {
    const key = `${d.host}:${String(d.port)}:${d.url ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      found.push(d);
    }
  };
  for (const command of commands) {
    for (const arg of command.args) {
      for (const match of arg.matchAll(URL_PATTERN)) {
        const scheme = (match[1] ?? '').slice(0, -3).toLowerCase();
        const host = (match[2] ?? '').replace(/^\[|\]$/g, '').toLowerCase();
        if (host === '' || host === 'localhost' || /^127\./.test(host)) continue;
        const defaults = SCHEME_DEFAULTS[scheme];
        const port = match[3] === undefined ? defaults?.port : Number(match[3]);
        push({
          host,
          ...(port === undefined ? {} : { port }),
          ...(defaults === undefined ? {} : { protocol: defaults.protocol }),
          url: match[0],
          program: command.program,
        });
      }
    }
    if (!CLIENTS.has(command.program)) continue;
    // One quoted argument may hold a whole directive (`chronyd -q 'server ntp.example iburst'`).
    const args = command.args.flatMap((arg) => (/\s/.test(arg) ? arg.split(/\s+/) : [arg]));
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      if (arg.includes('://')) continue;
      const prev = args[i - 1] ?? '';
      // Output file names are not hosts (`wget -O update.example.bin`).
      if (prev === '-O' || prev === '-o' || arg.startsWith('-')) continue;
      // Anything else that reads as a host is one: `syslogd -R host:514`, `ntpd -p pool.ntp.org`.
      const target = hostOf(sshTarget(command.program, arg));
      if (target === undefined) continue;
      let port = target.port;
      if (
        port === undefined &&
        (command.program === 'nc' || command.program === 'netcat' || command.program === 'telnet')
      ) {
        const next = args[i + 1];
        if (next !== undefined && /^\d{1,5}$/.test(next)) port = Number(next);
      }
      // The client's own default (client-ports.ts): `ntpd -p ntp.example` is udp/123.
      port ??= CLIENT_DEFAULTS[command.program]?.port;
      const protocol = clientProtocol(command.program);
      push({
        host: target.host,
        ...(port === undefined ? {} : { port }),
        ...(protocol === undefined ? {} : { protocol }),
        program: command.program,
      });
    }
  }
  return found;
}
