import type { SimpleCommand } from './commands.js';

/** A service a command starts listening. */
export interface Listener {
  readonly service: string;
  readonly program: string;
  readonly protocol: 'tcp' | 'udp';
  /** Undefined when the port comes from a config file nospy does not read. */
  readonly port?: number;
  /** Hands out a shell without login. */
  readonly shell: boolean;
  readonly note?: string;
}

interface DaemonSpec {
  readonly service: string;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  /** Flags whose value is the port (`-p 2222`, `-p 0.0.0.0:2222`, `--port=53`). */
  readonly portFlags: readonly string[];
  /** The port a daemon of this service normally uses; others are reported as unusual. */
  readonly usual?: number;
}

const DAEMONS = new Map<string, DaemonSpec>();
const add = (names: string[], spec: DaemonSpec): void => {
  for (const name of names) DAEMONS.set(name, spec);
};
add(['telnetd', 'utelnetd', 'in.telnetd'], {
  service: 'telnet',
  protocol: 'tcp',
  port: 23,
  portFlags: ['-p'],
});
add(['dropbear', 'sshd'], {
  service: 'ssh',
  protocol: 'tcp',
  port: 22,
  portFlags: ['-p'],
  usual: 22,
});
add(['httpd', 'uhttpd', 'lighttpd', 'boa', 'goahead', 'mini_httpd', 'thttpd', 'webs', 'nginx'], {
  service: 'http',
  protocol: 'tcp',
  port: 80,
  portFlags: ['-p'],
});
add(['tftpd', 'in.tftpd', 'atftpd'], { service: 'tftp', protocol: 'udp', port: 69, portFlags: [] });
add(['ftpd', 'vsftpd', 'proftpd', 'bftpd', 'pure-ftpd'], {
  service: 'ftp',
  protocol: 'tcp',
  port: 21,
  portFlags: [],
});
add(['snmpd'], { service: 'snmp', protocol: 'udp', port: 161, portFlags: [] });
add(['miniupnpd'], { service: 'upnp', protocol: 'udp', port: 1900, portFlags: [] });
add(['dnsmasq'], { service: 'dns', protocol: 'udp', port: 53, portFlags: ['-p', '--port'] });

const SHELLS = /^(\/(usr\/)?bin\/)?(ba|a|da|k)?sh$/;

/** `-p 2222`, `-p0.0.0.0:2222`, `--port=53`: the port number, or undefined. */
function portFromFlags(args: readonly string[], flags: readonly string[]): number[] {
  const ports: number[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    for (const flag of flags) {
      let value: string | undefined;
      if (arg === flag) value = args[i + 1];
      else if (flag.startsWith('--') && arg.startsWith(`${flag}=`))
        value = arg.slice(flag.length + 1);
      else if (!flag.startsWith('--') && arg.startsWith(flag) && arg.length > flag.length)
        value = arg.slice(flag.length);
      const port = value === undefined ? undefined : /(?:^|:)(\d{1,5})$/.exec(value)?.[1];
      if (port !== undefined && Number(port) <= 65535) ports.push(Number(port));
    }
  }
  return ports;
}

/** netcat's `-l`, `-lp 4444`, `-lvnp 4444`, `-e /bin/sh`. */
function netcat(command: SimpleCommand): Listener | undefined {
  let listening = false;
  let port: number | undefined;
  let shell = false;
  const { args } = command;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (/^-[a-zA-Z]+$/.test(arg)) {
      if (arg.includes('l')) listening = true;
      if (arg.endsWith('p') && /^\d+$/.test(args[i + 1] ?? '')) port = Number(args[i + 1]);
      if ((arg.endsWith('e') || arg.endsWith('c')) && SHELLS.test(args[i + 1] ?? '')) shell = true;
    } else if (/^\d{1,5}$/.test(arg) && port === undefined) port = Number(arg);
  }
  if (!listening) return undefined;
  return {
    service: 'netcat',
    program: command.program,
    protocol: args.includes('-u') ? 'udp' : 'tcp',
    ...(port === undefined ? {} : { port }),
    shell,
  };
}

/** socat `TCP-LISTEN:4444,fork EXEC:/bin/sh`. */
function socat(command: SimpleCommand): Listener | undefined {
  const listen = command.args
    .map((a) => /^(TCP|UDP)[46]?-LISTEN:(\d+)/i.exec(a))
    .find((m) => m !== null);
  if (listen == null) return undefined;
  const shell = command.args.some((a) => /^(EXEC|SYSTEM):.*\bsh\b/i.test(a));
  return {
    service: 'socat',
    program: 'socat',
    protocol: listen[1]?.toLowerCase() === 'udp' ? 'udp' : 'tcp',
    port: Number(listen[2]),
    shell,
  };
}

/** BusyBox `tcpsvd`/`udpsvd [opts] IP PORT PROG [ARGS]`. */
function superServer(command: SimpleCommand): Listener | undefined {
  const words = command.args.filter((a) => !a.startsWith('-'));
  const [, port, prog, ...rest] = words;
  if (port === undefined || prog === undefined || !/^\d+$/.test(port)) return undefined;
  const inner = listenerOf({ program: prog.slice(prog.lastIndexOf('/') + 1), args: rest });
  return {
    service: inner?.service ?? prog,
    program: prog.slice(prog.lastIndexOf('/') + 1),
    protocol: command.program === 'udpsvd' ? 'udp' : 'tcp',
    port: Number(port),
    shell: inner?.shell ?? SHELLS.test(prog),
  };
}

/** The listener a command starts, if it is one nospy knows. */
export function listenerOf(command: SimpleCommand): Listener | undefined {
  const { program, args } = command;
  if (program === 'nc' || program === 'netcat' || program === 'ncat') return netcat(command);
  if (program === 'socat') return socat(command);
  if (program === 'tcpsvd' || program === 'udpsvd') return superServer(command);
  const spec = DAEMONS.get(program);
  if (spec === undefined) return undefined;
  const port = portFromFlags(args, spec.portFlags)[0] ?? spec.port;
  // telnetd -l /bin/sh: the "login" program is a shell, so no password is asked (BusyBox telnetd).
  const loginAt = args.findIndex((a) => a === '-l' || a.startsWith('-l/'));
  const login =
    loginAt === -1
      ? undefined
      : args[loginAt] === '-l'
        ? args[loginAt + 1]
        : args[loginAt]?.slice(2);
  const shell = spec.service === 'telnet' && login !== undefined && SHELLS.test(login);
  const unusual = spec.usual !== undefined && port !== spec.usual;
  return {
    service: spec.service,
    program,
    protocol: spec.protocol,
    port,
    shell,
    ...(unusual ? { note: `${spec.service} on unusual port ${port}` } : {}),
  };
}
