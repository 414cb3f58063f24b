/**
 * Strings that public advisories identify as back doors in network equipment. Each is searched
 * byte for byte in every file; `alsoRequires` names a second string that must occur in the same
 * file, for strings too common to stand alone.
 */
export interface KnownBackdoorString {
  readonly id: string;
  readonly text: string;
  readonly alsoRequires?: string;
  readonly advisory: string;
  readonly source: string;
}

export const KNOWN_BACKDOOR_STRINGS: readonly KnownBackdoorString[] = [
  {
    id: 'FW-BD-001',
    text: 'xmlset_roodkcableoj28840ybtide',
    advisory: 'D-Link DIR-100 et al.: this User-Agent skips web authentication (Heffner, 2013)',
    source: 'http://www.devttys0.com/2013/10/reverse-engineering-a-d-link-backdoor/',
  },
  {
    id: 'FW-BD-002',
    text: "<<< %s(un='%s') = %u",
    advisory:
      'Juniper ScreenOS CVE-2015-7755: hard-coded password for SSH/telnet as any user (JSA10713)',
    source: 'https://nvd.nist.gov/vuln/detail/CVE-2015-7755',
  },
  {
    id: 'FW-BD-003',
    text: 'w302r_mfg',
    advisory:
      'Tenda W302R/W330R: UDP 7329 listener runs commands from a w302r_mfg packet (Heffner, 2013)',
    source: 'https://thehackernews.com/2013/10/backdoor-found-in-chinese-tenda.html',
  },
  {
    id: 'FW-BD-004',
    text: 'ScMM',
    alsoRequires: 'MMcS',
    advisory:
      'Sercomm TCP/32764 hidden service on Linksys/Netgear/Cisco CPE (Vanderbeken, 2013/14): ScMM/MMcS magic',
    source:
      'https://www.helpnetsecurity.com/2014/01/03/critical-backdoor-in-linksys-and-netgear-routers-found/',
  },
  {
    id: 'FW-BD-005',
    text: 'igdmptd',
    alsoRequires: 'netcore',
    advisory:
      'Netis/Netcore routers: igdmptd listens on UDP 53413 with the hard-coded password "netcore" (Trend Micro, 2014)',
    source:
      'https://www.trendmicro.com/en_us/research/14/h/netis-routers-leave-wide-open-backdoor.html',
  },
  {
    id: 'FW-BD-006',
    text: 'FGTAbc11*xy+Qqz27',
    advisory:
      'Fortinet CVE-2016-1909: Fortimanager_Access SSH shared secret in FortiOS 4.3.0–4.3.16, 5.0.0–5.0.7',
    source: 'https://nvd.nist.gov/vuln/detail/CVE-2016-1909',
  },
  {
    id: 'FW-BD-007',
    text: 'PrOw!aN_fXp',
    advisory: 'Zyxel CVE-2020-29583: plaintext password of the undocumented zyfwp account',
    source: 'https://www.zyxel.com/support/CVE-2020-29583.shtml',
  },
  {
    id: 'FW-BD-008',
    text: 'web_shell_cmd.gch',
    advisory: 'ZTE F460/F660: unauthenticated command page (CERT VU#600724, Rapid7 R7-2013-18)',
    source: 'https://www.kb.cert.org/vuls/id/600724',
  },
];
