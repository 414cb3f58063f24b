import { MudError } from './errors.js';
import { asArray, asInteger, asString, describe, invalid, JsonNode } from './json-node.js';
import type { Acl, MudDeviation, MudFile } from './model.js';
import { readAcl } from './parse-acl.js';

import { MUD_LIMITS } from './limits.js';

export { MUD_LIMITS };

/** Parses the text of a MUD file (UTF-8 JSON, RFC 7951 encoding); see {@link parseMud}. */
export function parseMudText(text: string): MudFile {
  if (text.length > MUD_LIMITS.maxBytes) {
    throw new MudError(
      'MUD_LIMIT',
      `the MUD file is ${text.length} characters, more than the ${MUD_LIMITS.maxBytes} allowed`,
      { where: '$' },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MudError('MUD_SYNTAX', `the MUD file is not JSON: ${(error as Error).message}`, {
      where: '$',
      cause: error,
    });
  }
  return parseMud(json);
}

/**
 * Reads a MUD file (RFC 8520 §2, with RFC 8519 ACLs) leniently: real files written by MUDgee,
 * MUD Maker and the osMUD tests bend the standard, and each accepted departure is listed in
 * `deviations` with its JSON path. Malformed values of known nodes and exceeded limits throw
 * MudError naming the path.
 */
export function parseMud(json: unknown): MudFile {
  const deviations: MudDeviation[] = [];
  const root = JsonNode.of(json, '$', 'a MUD file');
  const mudNode = root.take('ietf-mud:mud');
  if (mudNode === undefined)
    throw invalid('$', 'no "ietf-mud:mud" container: this is not a MUD file');
  const mud = JsonNode.of(mudNode.value, mudNode.path, 'the ietf-mud:mud container');

  const urlNode = mud.take('mud-url');
  if (urlNode === undefined) throw invalid(mud.path, 'mud-url is mandatory (RFC 8520 §2.1)');
  const mudUrl = asString(urlNode.value, urlNode.path, 'mud-url');
  if (!URL.canParse(mudUrl))
    throw invalid(urlNode.path, `mud-url is not a URL: ${describe(mudUrl)}`);

  const versionNode = mud.take('mud-version');
  const mudVersion =
    versionNode === undefined
      ? undefined
      : asInteger(versionNode.value, versionNode.path, 'mud-version', 0, 255);
  if (mudVersion !== 1) {
    deviations.push({
      path: versionNode?.path ?? `${mud.path}.mud-version`,
      kind: 'missing-or-invalid-leaf',
      message: `mud-version is ${String(mudVersion)}, RFC 8520 defines only 1; read as version 1`,
    });
  }
  const text = (name: string): string | undefined => {
    const found = mud.take(name);
    return found === undefined ? undefined : asString(found.value, found.path, name);
  };
  const lastUpdate = text('last-update');
  const systemInfo = text('systeminfo');
  const mfgName = text('mfg-name');
  const modelName = text('model-name');
  const supported = mud.take('is-supported');
  const isSupported = typeof supported?.value === 'boolean' ? supported.value : undefined;
  mud.markRead(
    'cache-validity',
    'firmware-rev',
    'software-rev',
    'documentation',
    'extensions',
    'mud-signature',
  );
  const fromDevice = readPolicy(mud, 'from-device-policy');
  const toDevice = readPolicy(mud, 'to-device-policy');
  for (const key of mud.rest()) {
    deviations.push({
      path: mud.child(key),
      kind: 'ignored-node',
      message: `"${key}" is not used by flow checks; ignored (RFC 8520 §2: nodes not understood are ignored)`,
    });
  }

  const aclsNode = root.take(
    'ietf-access-control-list:acls',
    'ietf-access-control-list:access-lists',
  );
  let layout: MudFile['layout'] = 'rfc8520';
  const acls = new Map<string, Acl>();
  if (aclsNode !== undefined) {
    if (aclsNode.key.endsWith('access-lists')) {
      deviations.push({
        path: aclsNode.path,
        kind: 'legacy-name',
        message:
          'pre-RFC "ietf-access-control-list:access-lists" read as "ietf-access-control-list:acls"',
      });
    }
    const container = JsonNode.of(aclsNode.value, aclsNode.path, 'the ACL container');
    const list = container.take('acl');
    for (const key of container.rest()) {
      deviations.push({
        path: container.child(key),
        kind: 'ignored-node',
        message: `"${key}" ignored`,
      });
    }
    const entries = list === undefined ? [] : asArray(list.value, list.path, 'acl');
    if (entries.length > MUD_LIMITS.maxAcls) {
      throw new MudError(
        'MUD_LIMIT',
        `${list?.path ?? ''}: ${entries.length} ACLs, more than the ${MUD_LIMITS.maxAcls} allowed`,
        { where: list?.path ?? '$' },
      );
    }
    let total = 0;
    entries.forEach((entry, index) => {
      const acl = readAcl(entry, `${list?.path ?? ''}[${index}]`, deviations);
      if (acl.legacy) layout = 'pre-rfc-draft';
      total += acl.count;
      if (total > MUD_LIMITS.maxAces) {
        throw new MudError(
          'MUD_LIMIT',
          `${acl.acl.path}: more than ${MUD_LIMITS.maxAces} ACEs in the file`,
          { where: acl.acl.path },
        );
      }
      if (acls.has(acl.acl.name))
        throw invalid(`${acl.acl.path}.name`, `a second ACL named "${acl.acl.name}"`);
      acls.set(acl.acl.name, acl.acl);
    });
  }
  for (const key of root.rest()) {
    deviations.push({
      path: root.child(key),
      kind: 'ignored-node',
      message: `top-level "${key}" ignored`,
    });
  }
  checkPolicies(fromDevice, toDevice, acls, mud.path, deviations);
  return {
    mudUrl,
    mudVersion,
    lastUpdate,
    systemInfo,
    mfgName,
    modelName,
    isSupported,
    fromDevice,
    toDevice,
    acls,
    layout,
    deviations,
  };
}

/** `{"access-lists": {"access-list": [{"name": …}]}}` (RFC 8520 §2.1). */
function readPolicy(mud: JsonNode, name: string): string[] {
  const found = mud.take(name);
  if (found === undefined) return [];
  const policy = JsonNode.of(found.value, found.path, name);
  const lists = policy.take('access-lists');
  if (lists === undefined) return [];
  const container = JsonNode.of(lists.value, lists.path, 'access-lists');
  const entries = container.take('access-list');
  if (entries === undefined) return [];
  const array = asArray(entries.value, entries.path, 'access-list');
  if (array.length > MUD_LIMITS.maxAcls) {
    throw new MudError(
      'MUD_LIMIT',
      `${entries.path}: ${array.length} ACL references, more than ${MUD_LIMITS.maxAcls}`,
      { where: entries.path },
    );
  }
  return array.map((entry, i) => {
    const ref = JsonNode.of(entry, `${entries.path}[${i}]`, 'an access-list reference');
    const refName = ref.take('name');
    if (refName === undefined) throw invalid(ref.path, 'an access-list reference needs a name');
    return asString(refName.value, refName.path, 'name');
  });
}

function checkPolicies(
  fromDevice: readonly string[],
  toDevice: readonly string[],
  acls: ReadonlyMap<string, Acl>,
  mudPath: string,
  deviations: MudDeviation[],
): void {
  const referenced = new Set([...fromDevice, ...toDevice]);
  for (const [policy, names] of [
    ['from-device-policy', fromDevice],
    ['to-device-policy', toDevice],
  ] as const) {
    for (const name of names) {
      if (!acls.has(name))
        deviations.push({
          path: `${mudPath}.${policy}`,
          kind: 'dangling-acl',
          message: `names ACL "${name}", which the file does not define; it contributes no ACEs`,
        });
    }
  }
  for (const acl of acls.values()) {
    if (!referenced.has(acl.name))
      deviations.push({
        path: acl.path,
        kind: 'dangling-acl',
        message: `ACL "${acl.name}" is in no policy; unused`,
      });
  }
  // RFC 8520 §8: the DNS name always denotes the remote end.
  for (const [names, side, key] of [
    [fromDevice, 'sourceDnsName', 'src-dnsname'],
    [toDevice, 'destinationDnsName', 'dst-dnsname'],
  ] as const) {
    for (const name of names) {
      for (const ace of acls.get(name)?.aces ?? []) {
        if (ace.matches.l3?.[side] !== undefined) {
          deviations.push({
            path: `${ace.path}.matches`,
            kind: 'dnsname-on-device-side',
            message: `${key} in a ${key === 'src-dnsname' ? 'from' : 'to'}-device ACL names the device itself (RFC 8520 §8 forbids it); evaluated as written`,
          });
        }
      }
    }
  }
}
