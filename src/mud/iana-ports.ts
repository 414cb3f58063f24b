/**
 * IANA service ports (RFC 6335 §6: System Ports 0–1023, User Ports 1024–49151, Dynamic Ports
 * 49152–65535), as far as they help tell a service's port from a client's ephemeral one.
 */

/** RFC 6335 §6: System (well-known) Ports are assigned by IETF review and never used as ephemeral ports. */
export function isWellKnownPort(port: number): boolean {
  return port >= 1 && port <= 1023;
}

/**
 * User (registered) Ports that devices on an operator network speak as services, with their IANA
 * service names. Only named assignments count: the registered range as a whole overlaps the
 * ephemeral ranges of common stacks (Linux 32768–60999, BSD/old Windows 1024–5000), so "any port
 * below 49152" would mistake client ports for services.
 */
const REGISTERED: ReadonlyMap<number, string> = new Map([
  [1194, 'openvpn'],
  [1701, 'l2tp'],
  [1723, 'pptp'],
  [1812, 'radius'],
  [1813, 'radius-acct'],
  [1883, 'mqtt'],
  [1900, 'ssdp'],
  [2049, 'nfs'],
  [2083, 'radsec'],
  [2123, 'gtp-control'],
  [2152, 'gtp-user'],
  [3268, 'msft-gc'],
  [3306, 'mysql'],
  [3389, 'ms-wbt-server'],
  [3478, 'stun'],
  [3479, 'trigger'],
  [3702, 'ws-discovery'],
  [4500, 'ipsec-nat-t'],
  [4739, 'ipfix'],
  [4740, 'ipfixs'],
  [4789, 'vxlan'],
  [5004, 'avt-profile-1'],
  [5005, 'avt-profile-2'],
  [5060, 'sip'],
  [5061, 'sips'],
  [5222, 'xmpp-client'],
  [5246, 'capwap-control'],
  [5247, 'capwap-data'],
  [5349, 'stuns'],
  [5353, 'mdns'],
  [5355, 'llmnr'],
  [5432, 'postgresql'],
  [5671, 'amqps'],
  [5672, 'amqp'],
  [5683, 'coap'],
  [5684, 'coaps'],
  [6343, 'sflow'],
  [6653, 'openflow'],
  [8080, 'http-alt'],
  [8443, 'pcsync-https'],
  [8883, 'secure-mqtt'],
  [10050, 'zabbix-agent'],
  [10051, 'zabbix-trapper'],
]);

/** The IANA service name of a registered User Port nospy recognises as a service, if any. */
export function registeredServiceName(port: number): string | undefined {
  return REGISTERED.get(port);
}
