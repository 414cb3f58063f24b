/**
 * The MUD file as nospy reads it (RFC 8520 + RFC 8519 ACLs), after lenient parsing: every
 * departure from the standard that was accepted is listed in `deviations`, never hidden.
 */

/** The policy a record is judged against: the device sent it, or it was sent to the device. */
export type MudDirection = 'from-device' | 'to-device';

/** What a MUD file's deviation from RFC 8520/8519 was, as data (path + what was accepted). */
export type MudDeviationKind =
  /** A pre-RFC name or layout read as its RFC equivalent (`access-lists`, `rule-name`, …). */
  | 'legacy-name'
  /** An ACL type that is not an RFC 8519 identity, read as the one it means. */
  | 'nonstandard-acl-type'
  /** A port operator RFC 8519 does not have (`range`, `lt`, `gt`) or mixed choice cases. */
  | 'nonstandard-port-match'
  /** A controller URN under urn:ietf:params:mud that IANA has not registered. */
  | 'unregistered-controller'
  /** An ACL of a family flow records cannot carry (Ethernet): skipped. */
  | 'skipped-acl'
  /** A match node that cannot be evaluated on flow records or is unknown: its ACE never matches. */
  | 'unmatchable-ace'
  /** A match node accepted because the rest of the ACE already implies it. */
  | 'implied-match'
  /** A node outside `matches` that nospy does not use (RFC 8520 §2: ignored). */
  | 'ignored-node'
  /** A policy names an ACL that is not in the file (it contributes no ACEs), or an ACL no policy names. */
  | 'dangling-acl'
  /** A DNS-name match on the device's own side (RFC 8520 §8 forbids it); evaluated as written. */
  | 'dnsname-on-device-side'
  /** A mandatory leaf is missing or out of range; the file is read anyway. */
  | 'missing-or-invalid-leaf';

export interface MudDeviation {
  /** JSON path of the node, e.g. `$.ietf-access-control-list:acls.acl[0].aces.ace[2].matches.udp`. */
  readonly path: string;
  readonly kind: MudDeviationKind;
  /** What was found and what nospy did with it. */
  readonly message: string;
}

/** A port match compiled to an inclusive range, possibly negated (`neq`). */
export interface PortMatch {
  readonly lo: number;
  readonly hi: number;
  readonly negate: boolean;
}

/** RFC 8520 §4 abstractions; each names the remote end of the traffic. */
export type MudAbstraction =
  | { readonly kind: 'manufacturer'; readonly authority: string }
  | { readonly kind: 'same-manufacturer' }
  | { readonly kind: 'model'; readonly url: string }
  | { readonly kind: 'local-networks' }
  | { readonly kind: 'controller'; readonly uri: string }
  | { readonly kind: 'my-controller' };

export interface L3Match {
  readonly family: 4 | 6;
  readonly protocol?: number | undefined;
  readonly sourceNetwork?: string | undefined;
  readonly destinationNetwork?: string | undefined;
  readonly sourceDnsName?: string | undefined;
  readonly destinationDnsName?: string | undefined;
}

export type L4Match =
  | {
      readonly kind: 'tcp' | 'udp';
      readonly sourcePort?: PortMatch | undefined;
      readonly destinationPort?: PortMatch | undefined;
      /** ietf-mud tcp augmentation: who must have opened the connection. */
      readonly directionInitiated?: MudDirection | undefined;
    }
  | {
      readonly kind: 'icmp';
      readonly type?: number | undefined;
      readonly code?: number | undefined;
    };

export interface AceMatches {
  readonly l3?: L3Match | undefined;
  readonly l4?: L4Match | undefined;
  readonly mud: readonly MudAbstraction[];
  /** Why the ACE can never match (unknown or unevaluable nodes, contradictions); empty if it can. */
  readonly unmatchable: readonly string[];
}

export type AceAction = 'accept' | 'drop' | 'reject';

export interface Ace {
  readonly name: string;
  readonly matches: AceMatches;
  readonly action: AceAction;
  readonly path: string;
}

/** RFC 8519 ACL types reduced to what a flow record can be judged by. */
export type AclFamily = 'ipv4' | 'ipv6' | 'mixed' | 'eth';

export interface Acl {
  readonly name: string;
  readonly type: string;
  readonly family: AclFamily;
  readonly aces: readonly Ace[];
  readonly path: string;
}

export interface MudFile {
  readonly mudUrl: string;
  readonly mudVersion: number | undefined;
  readonly lastUpdate: string | undefined;
  readonly systemInfo: string | undefined;
  readonly mfgName: string | undefined;
  readonly modelName: string | undefined;
  readonly isSupported: boolean | undefined;
  /** ACL names of each policy, in the order the policy lists them. */
  readonly fromDevice: readonly string[];
  readonly toDevice: readonly string[];
  readonly acls: ReadonlyMap<string, Acl>;
  /** `rfc8520` or the pre-RFC draft layout (osMUD test files). */
  readonly layout: 'rfc8520' | 'pre-rfc-draft';
  readonly deviations: readonly MudDeviation[];
}
