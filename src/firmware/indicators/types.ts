/** The kinds of indicator `nospy firmware scan` reports (issue 7, CLI section). */
export const INDICATOR_KINDS = [
  'listening_service',
  'outbound_destination',
  'credential.password_hash',
  'credential.uid0_extra_account',
  'key.private',
  'key.static_host_key',
  'ssh.authorized_keys',
  'backdoor.known_string',
] as const;

export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** One finding of a rule in the unpacked tree, with where it is and the evidence. */
export interface Indicator {
  readonly kind: IndicatorKind;
  /** The rule that raised it (see docs/firmware.md). */
  readonly rule: string;
  readonly path: string;
  /** 1-based line, for text files. */
  readonly line?: number;
  /** Byte offset in the file, for binaries. */
  readonly offset?: number;
  readonly detail: string;
  /** The line or bytes that gave it away (secrets are shown as they appear in the image). */
  readonly evidence: string;
  /** listening_service */
  readonly service?: string;
  readonly program?: string;
  readonly port?: number;
  readonly protocol?: 'tcp' | 'udp';
  /** A shell handed out without login (`telnetd -l /bin/sh`, `nc -e /bin/sh`). */
  readonly shell?: boolean;
  /** outbound_destination */
  readonly host?: string;
  readonly url?: string;
  /**
   * With a MUD file and/or an SBOM: whether the declaration allows this service or destination
   * (with both, whether both do).
   */
  readonly declared?: boolean;
  /** With an SBOM (`--sbom`): the verdict of each declaration given, MUD file and SBOM. */
  readonly declaredBy?: { readonly mud?: boolean; readonly sbom?: boolean };
  /** credential.* */
  readonly account?: string;
  readonly hashType?: string;
  /** A known default credential the hash matches, as `user:password` and the list it is from. */
  readonly knownCredential?: string;
  /** key.*, ssh.authorized_keys */
  readonly keyType?: string;
  readonly fingerprint?: string;
  readonly comment?: string;
  /** backdoor.known_string */
  readonly advisory?: string;
  readonly source?: string;
}

/** A component found in the image (from a version string or package metadata). */
export interface Component {
  readonly name: string;
  readonly version: string;
  readonly path: string;
  readonly evidence: string;
}

/** Kinds that are a back-door indicator by themselves (exit 1), without a declaration. */
export function isBackdoorIndicator(indicator: Indicator): boolean {
  switch (indicator.kind) {
    case 'listening_service':
      return indicator.shell === true || indicator.declared === false;
    case 'outbound_destination':
      return indicator.declared === false;
    case 'credential.password_hash':
    case 'credential.uid0_extra_account':
    case 'key.private':
    case 'key.static_host_key':
    case 'ssh.authorized_keys':
    case 'backdoor.known_string':
      return true;
  }
}
