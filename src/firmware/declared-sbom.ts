/**
 * What a release's CycloneDX SBOM declares about the network, read from its `services`: each
 * service is a listener on the device or a destination the device reaches, in the same terms as
 * the MUD declaration (`declared.ts`), so one comparison serves both.
 *
 * A service's direction is its `nospy:direction` property (`listen`/`inbound` or
 * `connect`/`outbound`); without it, an endpoint on a wildcard or loopback host
 * (`0.0.0.0`, `::`, `localhost`, `127.x`) or with no host is a listener, any other host a
 * destination. The transport is `nospy:transport`, else the scheme's (`ntp`, `snmp`, `tftp`,
 * `syslog`, `coap`, `dns` are UDP; other known schemes TCP). The port is `nospy:port` (a number
 * or `low-high`), else the endpoint's, else the scheme's well-known port.
 */
import type { SbomDocument, Service, ServiceEndpoint } from '../sbom/model.js';
import type { Declaration, DeclaredDestination, DeclaredPort } from './declared.js';

const UDP_SCHEMES = new Set(['ntp', 'snmp', 'tftp', 'syslog', 'coap', 'dns']);
const WELL_KNOWN: Readonly<Record<string, number>> = {
  ftp: 21,
  ssh: 22,
  sftp: 22,
  telnet: 23,
  smtp: 25,
  dns: 53,
  tftp: 69,
  http: 80,
  ntp: 123,
  snmp: 161,
  ldap: 389,
  https: 443,
  syslog: 514,
  ldaps: 636,
  netconf: 830,
  mqtt: 1883,
  coap: 5683,
  mqtts: 8883,
};
const LISTEN = new Set(['listen', 'inbound', 'in']);
const CONNECT = new Set(['connect', 'outbound', 'out']);

function isLocalHost(host: string | null): boolean {
  if (host === null) return true;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::' || h === 'localhost' || h === '::1' || h.startsWith('127.');
}

function protocolOf(
  service: Service,
  endpoint: ServiceEndpoint | undefined,
): DeclaredPort['protocol'] {
  const declared = service.properties['nospy:transport']?.toLowerCase();
  if (declared === 'tcp' || declared === 'udp') return declared;
  const scheme = endpoint?.protocol?.toLowerCase();
  if (scheme === undefined) return 'any';
  if (UDP_SCHEMES.has(scheme)) return 'udp';
  return scheme in WELL_KNOWN ? 'tcp' : 'any';
}

function portsOf(
  service: Service,
  endpoint: ServiceEndpoint | undefined,
): DeclaredPort['ports'] | undefined {
  const declared = service.properties['nospy:port'];
  if (declared !== undefined) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(declared.trim());
    const low = Number(m?.[1]);
    const high = m?.[2] === undefined ? low : Number(m[2]);
    // A malformed port declares nothing rather than everything.
    return m !== null && low <= high && high <= 65535 ? { low, high } : undefined;
  }
  const port = endpoint?.port ?? WELL_KNOWN[endpoint?.protocol?.toLowerCase() ?? ''];
  return port === undefined ? undefined : { low: port, high: port };
}

function ipv4Network(host: string): readonly [number, number] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    return undefined;
  }
  return [parts.reduce((acc, p) => acc * 256 + Number(p), 0), 32];
}

/** The listeners and destinations a CycloneDX document's services declare. */
export function declarationFromServices(services: readonly Service[]): Declaration {
  const listeners: DeclaredPort[] = [];
  const destinations: DeclaredDestination[] = [];
  for (const service of services) {
    const direction = service.properties['nospy:direction']?.toLowerCase();
    const endpoints: (ServiceEndpoint | undefined)[] =
      service.endpoints.length === 0 ? [undefined] : [...service.endpoints];
    for (const endpoint of endpoints) {
      const listen =
        direction !== undefined && LISTEN.has(direction)
          ? true
          : direction !== undefined && CONNECT.has(direction)
            ? false
            : isLocalHost(endpoint?.host ?? null);
      const protocol = protocolOf(service, endpoint);
      const ports = portsOf(service, endpoint);
      if (listen) {
        listeners.push({ protocol, ...(ports === undefined ? {} : { ports }) });
        continue;
      }
      const host = endpoint?.host?.toLowerCase().replace(/\.$/, '');
      if (host === undefined || isLocalHost(host)) continue;
      const network = ipv4Network(host);
      destinations.push({
        protocol,
        ...(ports === undefined ? {} : { ports }),
        ...(network === undefined ? { dnsname: host } : { network }),
      });
    }
  }
  return { listeners, destinations };
}

/**
 * What an SBOM declares about the network, or undefined when it declares nothing: an SBOM
 * without `services` (or not CycloneDX, which has none) says nothing about listeners and
 * destinations, so it must neither allow nor forbid any. The one rule `nospy firmware scan
 * --sbom` and `nospy check` share: without it the scan called every listener undeclared while
 * the check ignored the SBOM.
 */
export function sbomNetworkDeclaration(document: SbomDocument): Declaration | undefined {
  if (document.format !== 'CycloneDX' || document.services.length === 0) return undefined;
  return declarationFromServices(document.services);
}
