import type { FileTree } from '../tree.js';
import { commandsOf, type SimpleCommand } from './commands.js';
import { listenerOf, type Listener } from './daemons.js';
import { destinationsOf } from './destinations.js';
import type { Indicator } from './types.js';

type StartupKind = 'init' | 'inittab' | 'cron' | 'cron-system' | 'systemd' | 'inetd' | 'xinetd';

/** Where init systems and cron keep what they start (SysV/BusyBox init, OpenWrt, systemd, cron). */
export function startupKindOf(path: string): StartupKind | undefined {
  if (path === '/etc/inittab') return 'inittab';
  if (path === '/etc/inetd.conf') return 'inetd';
  if (path === '/etc/xinetd.conf' || path.startsWith('/etc/xinetd.d/')) return 'xinetd';
  if (path === '/etc/crontab' || path.startsWith('/etc/cron.d/')) return 'cron-system';
  if (path.startsWith('/etc/crontabs/') || path.startsWith('/var/spool/cron/')) return 'cron';
  if (/^\/etc\/cron\.(hourly|daily|weekly|monthly)\//.test(path)) return 'init';
  if (/^\/(etc|lib|usr\/lib)\/systemd\/system\/.+\.service$/.test(path)) return 'systemd';
  if (
    path.startsWith('/etc/init.d/') ||
    path.startsWith('/etc/rc.d/') ||
    /^\/etc\/rc[0-6S]\.d\//.test(path)
  )
    return 'init';
  if (['/etc/rc.local', '/etc/rcS', '/etc/rc', '/etc/profile', '/etc/rc.sysinit'].includes(path))
    return 'init';
  return undefined;
}

/** A service whose server is a shell hands out that shell to whoever connects. */
const IS_SHELL = /^(ba|a|da|k)?sh$/;

const WELL_KNOWN_PORTS: Record<string, number> = {
  telnet: 23,
  ftp: 21,
  ssh: 22,
  tftp: 69,
  http: 80,
  https: 443,
  shell: 514,
  login: 513,
  exec: 512,
  snmp: 161,
  finger: 79,
};

/** Port numbers from the image's own /etc/services, else the well-known ones. */
function servicePort(tree: FileTree, name: string, protocol: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  const services = tree.read('/etc/services')?.toString('latin1');
  if (services !== undefined) {
    const match = new RegExp(
      `^${name.replace(/[^A-Za-z0-9-]/g, '')}\\s+(\\d+)/${protocol}`,
      'm',
    ).exec(services);
    if (match !== null) return Number(match[1]);
  }
  return WELL_KNOWN_PORTS[name];
}

interface Logical {
  readonly line: number;
  readonly text: string;
}

/** Lines with backslash continuations joined, numbered by where they start. */
function logicalLines(text: string): Logical[] {
  const result: Logical[] = [];
  const raw = text.split(/\r?\n/);
  for (let i = 0; i < raw.length; i += 1) {
    let line = raw[i] ?? '';
    const start = i + 1;
    while (line.endsWith('\\') && i + 1 < raw.length) {
      i += 1;
      line = `${line.slice(0, -1)} ${raw[i] ?? ''}`;
    }
    result.push({ line: start, text: line });
  }
  return result;
}

/** The command part of a line, by the file's syntax; undefined for comments and settings. */
function commandText(kind: StartupKind, text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  switch (kind) {
    case 'init':
      return trimmed;
    case 'inittab': {
      // BusyBox/SysV inittab: id:runlevels:action:process
      const fields = trimmed.split(':');
      return fields.length >= 4 ? fields.slice(3).join(':') : undefined;
    }
    case 'cron':
    case 'cron-system': {
      const words = trimmed.split(/\s+/);
      if (/^[A-Za-z_]+=/.test(trimmed)) return undefined;
      const skip = (words[0]?.startsWith('@') === true ? 1 : 5) + (kind === 'cron-system' ? 1 : 0);
      return words.length > skip ? words.slice(skip).join(' ') : undefined;
    }
    case 'systemd': {
      const match = /^ExecStart(?:Pre|Post)?=[-@:+!]*(.*)$/.exec(trimmed);
      return match?.[1];
    }
    case 'inetd':
    case 'xinetd':
      return undefined;
  }
}

function listenerIndicator(
  rule: string,
  path: string,
  line: number,
  evidence: string,
  listener: Listener,
  origin: string,
): Indicator {
  const port =
    listener.port === undefined
      ? 'port from its configuration'
      : `${listener.protocol}/${listener.port}`;
  const detail =
    `${listener.program} (${listener.service}) listening on ${port}, started from ${origin}` +
    (listener.shell ? '; hands out a shell without login' : '') +
    (listener.note === undefined ? '' : `; ${listener.note}`);
  return {
    kind: 'listening_service',
    rule: listener.shell ? 'FW-SVC-010' : rule,
    path,
    line,
    detail,
    evidence: evidence.trim(),
    service: listener.service,
    program: listener.program,
    protocol: listener.protocol,
    ...(listener.port === undefined ? {} : { port: listener.port }),
    shell: listener.shell,
  };
}

/** sshd without `-p` listens where sshd_config says (`Port`), else 22. */
function sshdConfigPort(tree: FileTree): number | undefined {
  const config = tree.read('/etc/ssh/sshd_config')?.toString('latin1');
  const match = config === undefined ? null : /^\s*Port\s+(\d+)/m.exec(config);
  return match === null ? undefined : Number(match[1]);
}

/** inetd.conf: `service socktype proto wait user server args` (inetd(8)). */
function inetdListeners(tree: FileTree, path: string, text: string): Indicator[] {
  const found: Indicator[] = [];
  for (const { line, text: raw } of logicalLines(text)) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [service, , proto, , , server, ...args] = trimmed.split(/\s+/);
    if (service === undefined || server === undefined || server === 'internal') continue;
    const protocol = proto?.startsWith('udp') === true ? 'udp' : 'tcp';
    const program = server.slice(server.lastIndexOf('/') + 1);
    const known = listenerOf({ program, args: args.slice(1) });
    const port = servicePort(tree, service, protocol);
    found.push(
      listenerIndicator(
        'FW-SVC-002',
        path,
        line,
        raw,
        {
          service: known?.service ?? service,
          program,
          protocol,
          ...(port === undefined ? {} : { port }),
          shell: known?.shell ?? IS_SHELL.test(program),
        },
        'inetd',
      ),
    );
  }
  return found;
}

/** xinetd: `service NAME { port = …; server = …; disable = yes }` blocks (xinetd.conf(5)). */
function xinetdListeners(tree: FileTree, path: string, text: string): Indicator[] {
  const found: Indicator[] = [];
  const lines = text.split(/\r?\n/);
  let current: { name: string; line: number; attrs: Map<string, string> } | undefined;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) return;
    const open = /^service\s+(\S+)/.exec(trimmed);
    if (open !== null) current = { name: open[1] ?? '', line: index + 1, attrs: new Map() };
    const attr = /^(\w+)\s*[+-]?=\s*(.*)$/.exec(trimmed);
    if (attr !== null && current !== undefined)
      current.attrs.set(attr[1] ?? '', (attr[2] ?? '').trim());
    if (trimmed.startsWith('}') && current !== undefined) {
      const { name, line, attrs } = current;
      current = undefined;
      if (attrs.get('disable') === 'yes') return;
      const protocol =
        attrs.get('socket_type') === 'dgram' || attrs.get('protocol') === 'udp' ? 'udp' : 'tcp';
      const server = attrs.get('server') ?? name;
      const program = server.slice(server.lastIndexOf('/') + 1);
      const port = attrs.has('port')
        ? Number(attrs.get('port'))
        : servicePort(tree, name, protocol);
      const known = listenerOf({ program, args: (attrs.get('server_args') ?? '').split(/\s+/) });
      found.push(
        listenerIndicator(
          'FW-SVC-002',
          path,
          line,
          `service ${name} (server = ${server})`,
          {
            service: known?.service ?? name,
            program,
            protocol,
            ...(port === undefined ? {} : { port }),
            shell: known?.shell ?? IS_SHELL.test(program),
          },
          'xinetd',
        ),
      );
    }
  });
  return found;
}

/**
 * Listening services and outbound destinations started from init scripts, inittab, systemd
 * units, cron and inetd/xinetd. Commented-out lines are ignored, and a daemon that is only
 * present (a BusyBox applet link nothing starts) is not a listener.
 */
export function startupIndicators(tree: FileTree, path: string, text: string): Indicator[] {
  const kind = startupKindOf(path);
  if (kind === undefined) return [];
  if (kind === 'inetd') return inetdListeners(tree, path, text);
  if (kind === 'xinetd') return xinetdListeners(tree, path, text);
  const found: Indicator[] = [];
  const origin = kind === 'cron' || kind === 'cron-system' ? 'cron' : kind;
  const rule = origin === 'cron' ? 'FW-SVC-003' : 'FW-SVC-001';
  for (const { line, text: raw } of logicalLines(text)) {
    const command = commandText(kind, raw);
    if (command === undefined) continue;
    const commands: SimpleCommand[] = commandsOf(command);
    for (const simple of commands) {
      let listener = listenerOf(simple);
      if (listener === undefined) continue;
      if (simple.program === 'sshd' && !simple.args.some((a) => a.startsWith('-p'))) {
        const port = sshdConfigPort(tree);
        if (port !== undefined)
          listener = {
            ...listener,
            port,
            ...(port === 22 ? {} : { note: `ssh on unusual port ${port}` }),
          };
      }
      found.push(listenerIndicator(rule, path, line, raw, listener, origin));
    }
    for (const destination of destinationsOf(commands)) {
      const port = destination.port === undefined ? '' : `:${destination.port}`;
      found.push({
        kind: 'outbound_destination',
        rule: destination.url === undefined ? 'FW-NET-002' : 'FW-NET-001',
        path,
        line,
        detail: `${destination.program} contacts ${destination.host}${port}, from ${origin}`,
        evidence: raw.trim(),
        host: destination.host,
        ...(destination.port === undefined ? {} : { port: destination.port }),
        ...(destination.protocol === undefined ? {} : { protocol: destination.protocol }),
        ...(destination.url === undefined ? {} : { url: destination.url }),
        program: destination.program,
      });
    }
  }
  return found;
}
