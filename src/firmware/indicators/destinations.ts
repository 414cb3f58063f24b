import type { SimpleCommand } from './commands.js';

/** A host a command contacts. */
export interface Destination {
  readonly host: string;
  readonly port?: number;
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

const DEFAULT_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ftp: 21,
  tftp: 69,
  ws: 80,
  wss: 443,
  mqtt: 1883,
  mqtts: 8883,
  telnet: 23,
};

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
        const port = match[3] === undefined ? DEFAULT_PORTS[scheme] : Number(match[3]);
        push({
          host,
          ...(port === undefined ? {} : { port }),
          url: match[0],
          program: command.program,
        });
      }
    }
    if (!CLIENTS.has(command.program)) continue;
    const args = command.args;
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      if (arg.includes('://')) continue;
      const prev = args[i - 1] ?? '';
      // Output file names are not hosts (`wget -O update.example.bin`).
      if (prev === '-O' || prev === '-o' || arg.startsWith('-')) continue;
      // Anything else that reads as a host is one: `syslogd -R host:514`, `ntpd -p pool.ntp.org`.
      const target = hostOf(arg);
      if (target === undefined) continue;
      let port = target.port;
      if (
        port === undefined &&
        (command.program === 'nc' || command.program === 'netcat' || command.program === 'telnet')
      ) {
        const next = args[i + 1];
        if (next !== undefined && /^\d{1,5}$/.test(next)) port = Number(next);
      }
      if (port === undefined && command.program === 'tftp') port = 69;
      push({
        host: target.host,
        ...(port === undefined ? {} : { port }),
        program: command.program,
      });
    }
  }
  return found;
}
