/**
 * The protocol and port each known network client uses when its command line names none, so
 * that `ntpd -p ntp.example` is judged as the udp/123 traffic it is and matched against a MUD
 * file that allows that host on udp/123. Without this an honest vendor's time sync is reported
 * as undeclared: a false back-door accusation, the worst error this product can make.
 *
 * Each row cites where the default comes from: the protocol's RFC (its assigned port) and the
 * client's own documentation where it picks between transports. The IANA "Service Name and
 * Transport Protocol Port Number Registry" agrees with every port below.
 */
export interface ClientDefault {
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  /** Where the default is specified. */
  readonly source: string;
}

const NTP: ClientDefault = {
  protocol: 'udp',
  port: 123,
  source: 'RFC 5905 §7.2 (NTP, UDP port 123)',
};

/** Clients whose bare host argument (no `:port`, no URL) goes to one protocol and port. */
export const CLIENT_DEFAULTS: Readonly<Record<string, ClientDefault>> = {
  ntpd: NTP,
  ntpdate: NTP,
  ntpclient: NTP,
  chronyd: NTP,
  chronyc: {
    protocol: 'udp',
    port: 323,
    source: 'chronyc(1): commands go to chronyd on UDP port 323',
  },
  sntp: { ...NTP, source: 'RFC 4330 §5 (SNTP uses the NTP port, UDP 123)' },
  rdate: {
    protocol: 'tcp',
    port: 37,
    source: 'RFC 868 (Time Protocol, TCP port 37; rdate(8) uses TCP unless -u)',
  },
  ssh: { protocol: 'tcp', port: 22, source: 'RFC 4253 §4.1 (SSH, TCP port 22)' },
  scp: { protocol: 'tcp', port: 22, source: 'RFC 4253 §4.1 (scp runs over SSH, TCP port 22)' },
  dbclient: {
    protocol: 'tcp',
    port: 22,
    source: "RFC 4253 §4.1 (Dropbear's SSH client, TCP port 22)",
  },
  telnet: { protocol: 'tcp', port: 23, source: 'RFC 854 (Telnet, TCP port 23)' },
  tftp: { protocol: 'udp', port: 69, source: 'RFC 1350 §4 (TFTP, UDP port 69)' },
  ftpget: { protocol: 'tcp', port: 21, source: 'RFC 959 §5.2 (FTP control, TCP port 21)' },
  ftpput: { protocol: 'tcp', port: 21, source: 'RFC 959 §5.2 (FTP control, TCP port 21)' },
  syslogd: {
    protocol: 'udp',
    port: 514,
    source: 'RFC 5426 §3.3 (syslog over UDP, port 514; BusyBox syslogd -R)',
  },
  mosquitto_pub: { protocol: 'tcp', port: 1883, source: 'MQTT 3.1.1 §4.2 (OASIS; TCP port 1883)' },
  mosquitto_sub: { protocol: 'tcp', port: 1883, source: 'MQTT 3.1.1 §4.2 (OASIS; TCP port 1883)' },
  // A bare host is fetched over HTTP: curl(1) "If you specify URL without protocol:// prefix,
  // curl will attempt to guess … default to HTTP"; wget(1) likewise.
  curl: {
    protocol: 'tcp',
    port: 80,
    source: 'RFC 9110 §4.2.1 (http, TCP port 80); curl(1) defaults to HTTP',
  },
  wget: {
    protocol: 'tcp',
    port: 80,
    source: 'RFC 9110 §4.2.1 (http, TCP port 80); wget(1) defaults to HTTP',
  },
};

/** A URL scheme's transport and default port (RFC 3986 §3.2.3: the scheme defines it). */
export const SCHEME_DEFAULTS: Readonly<Record<string, ClientDefault>> = {
  http: { protocol: 'tcp', port: 80, source: 'RFC 9110 §4.2.1' },
  https: { protocol: 'tcp', port: 443, source: 'RFC 9110 §4.2.2' },
  ftp: { protocol: 'tcp', port: 21, source: 'RFC 1738 §3.2' },
  tftp: { protocol: 'udp', port: 69, source: 'RFC 3617 §2' },
  ws: { protocol: 'tcp', port: 80, source: 'RFC 6455 §3' },
  wss: { protocol: 'tcp', port: 443, source: 'RFC 6455 §3' },
  mqtt: { protocol: 'tcp', port: 1883, source: 'MQTT 3.1.1 §4.2' },
  mqtts: { protocol: 'tcp', port: 8883, source: 'MQTT 3.1.1 §4.2' },
  telnet: { protocol: 'tcp', port: 23, source: 'RFC 4248' },
};

/**
 * The transport of a client whose port was given explicitly (`syslogd -R host:514`): the same
 * as its default, since the port alone does not change the transport it speaks. Undefined for
 * clients that speak either (nc, socat, openssl).
 */
export function clientProtocol(program: string): 'tcp' | 'udp' | undefined {
  return CLIENT_DEFAULTS[program]?.protocol;
}
