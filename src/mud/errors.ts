import { NospyError } from '../errors/nospy-error.js';

export type MudErrorCode =
  | 'MUD_UNREADABLE'
  | 'MUD_SYNTAX'
  | 'MUD_INVALID'
  | 'MUD_LIMIT'
  | 'MUD_CONTEXT_INVALID'
  | 'MUD_DEVICES_INVALID'
  | 'MUD_GRANTS_INVALID';

/**
 * A MUD file, operator context, device map or grant file that cannot be read or is malformed.
 * `where` names the file and the JSON path (`$.ietf-access-control-list:acls.acl[2].name`) or
 * the YAML file:line:column.
 */
export class MudError extends NospyError<MudErrorCode> {
  override readonly name = 'MudError';
}
