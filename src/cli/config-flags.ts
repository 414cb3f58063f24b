/**
 * The config settings that commands also take as flags (`--data`, `--store`, `--port`, `--host`,
 * `--trust`, `--full-audit-hours`),
 * turned into the flag layer of the config (flags override NOSPY_* variables, which override the
 * file): one place, so every command spells and validates them the same way.
 */
import type { FlagSetting } from '../config/load.js';
import { LogError } from '../log/errors.js';

/** The raw flag values a command received; absent ones leave the setting to env and file. */
export interface ConfigFlagValues {
  readonly data?: string | undefined;
  readonly store?: string | undefined;
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly trust?: string | undefined;
  readonly fullAuditHours?: string | undefined;
}

/** The flag settings for `ctx.config`, in the order the flags are listed in the help. */
export function configFlags(values: ConfigFlagValues): FlagSetting[] {
  const flags: FlagSetting[] = [];
  if (values.data !== undefined) flags.push({ flag: '--data', path: ['data'], value: values.data });
  if (values.store !== undefined)
    flags.push({ flag: '--store', path: ['store', 'url'], value: values.store });
  if (values.port !== undefined)
    flags.push({ flag: '--port', path: ['server', 'port'], value: toInt('--port', values.port) });
  if (values.host !== undefined)
    flags.push({ flag: '--host', path: ['server', 'host'], value: values.host });
  if (values.trust !== undefined)
    flags.push({ flag: '--trust', path: ['trust'], value: values.trust });
  if (values.fullAuditHours !== undefined)
    flags.push({
      flag: '--full-audit-hours',
      path: ['log', 'fullAuditHours'],
      value: toInt('--full-audit-hours', values.fullAuditHours),
    });
  return flags;
}

export function toInt(flag: string, value: string): number {
  if (!/^(0|[1-9][0-9]{0,8})$/.test(value)) {
    throw new LogError('LOG_USAGE', `${flag} ${value}: expected a non-negative integer`, {
      where: flag,
    });
  }
  return Number(value);
}
