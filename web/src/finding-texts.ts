/**
 * What the dashboard says about a finding in words: the promise each clause makes, why a kind of
 * finding has its severity, and what would close it. Plain data, kept apart from the pages.
 */

/** Each agreement clause's promise (src/statements/predicates/agreement.ts). */
export const CLAUSE_TEXT: Readonly<Record<string, string>> = {
  'firmware-logged-before-deployment':
    'Every deployed image is a release logged before the deployment was first observed.',
  'release-carries-sbom-and-mud':
    'Every release statement names an SBOM in an allowed format and a MUD file.',
  'remote-access-only-under-cosigned-grant':
    "Remote access to the operator's devices happens only inside an access grant both parties signed.",
  'canary-every': 'A canary statement is logged at least every `days` days.',
  'critical-vulns-fixed-within':
    'A vulnerability at or above `severity` is fixed by a logged release within `days` days.',
  'traffic-within-declared-mud':
    "Every device's traffic stays within the MUD file of the release it runs.",
  'release-reproduced':
    'Every release is attested equivalent by `evaluators` independent rebuilds within `within_days` days.',
  'no-spy': 'The agreement as a whole: the equipment carries no back door.',
};

/** Why a kind of finding weighs what it does. */
export const SEVERITY_WHY: Readonly<Record<string, string>> = {
  'firmware-not-logged':
    'A device runs code no one has publicly committed to: nothing ties what runs to what was promised.',
  'firmware-backdoor-indicator':
    'The image itself carries a sign of a back door (a hard-coded credential, a beacon, a known string): critical when it grants access, high when it only points to one.',
  'firmware-unscanned': 'The image was never looked at, so nothing is known of what it carries.',
  'release-not-equivalent':
    'An independent rebuild from the published source did not produce the released image.',
  'release-not-reproduced': 'No independent rebuild confirmed the release within the agreed time.',
  'vulnerable-component':
    "A component with a known vulnerability ships in the release; the severity is the advisory's.",
  'undeclared-traffic':
    'The device talks to a destination its MUD file does not declare: the kind of traffic the agreement forbids.',
  'unapproved-access': 'Someone reached a management service with no grant covering it.',
  'canary-lapsed':
    "The vendor's canary stopped: the agreed sign that nothing is being hidden was not renewed.",
  'policy-violation':
    "A government rule on high-risk vendors is broken; the pack's rule sets the weight.",
  'log-inconsistency':
    'The log signed two histories that cannot both be true: every proof from it is in doubt.',
};

/** What would close a finding of each kind. */
export const REMEDIATION: Readonly<Record<string, string>> = {
  'firmware-not-logged':
    'Have the vendor log a release naming this image (nospy statement release), or put the device back on a logged release.',
  'firmware-backdoor-indicator':
    'Take the image out of service; ask the vendor for a release without the indicator and its diff report, or record why the indicator is harmless.',
  'firmware-unscanned':
    'Add the image to check.firmware (or let the check fetch it from the blob store) so it is scanned.',
  'release-not-equivalent':
    'Ask the vendor to explain every differing file the diff report lists, or to publish a release that rebuilds to the same image.',
  'release-not-reproduced':
    'Have the agreed evaluators rebuild the release and log their rebuild statements.',
  'vulnerable-component':
    'Deploy a logged release with the fixed version of the component, within the days the clause allows.',
  'undeclared-traffic':
    'Block the destination, or have the vendor log a release whose MUD file declares it (with the reason).',
  'unapproved-access':
    'Close the access, or have both parties sign and log an access grant covering the service and window.',
  'canary-lapsed': 'Have the vendor log a fresh canary statement; ask why it lapsed.',
  'policy-violation':
    'Follow the remediation plan on the compliance page: remove or replace the items named, by the deadline.',
  'log-inconsistency':
    'Stop trusting the log: publish both checkpoints and the proof to the witnesses and the regulator.',
};
