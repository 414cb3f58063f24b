/**
 * What traffic workers judge against, read the way `nospy check` reads it: the device map
 * (`check.devices`) with MUD files by digest from the blob store, and the access grants from the
 * log's verified `access-session` statements (`check.log`, with the trust file), plus a grants
 * file when one is given. `changed()` tells cheaply whether a reload is due: the log's latest
 * checkpoint and the size and time of every local file the map names.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EvidenceIndex } from '../check/evidence-index.js';
import { openBlobSource } from '../check/gather/blobs.js';
import { loadJudgedDevices } from '../check/gather/devices.js';
import { isLogUrl, readLogStatements } from '../check/gather/log.js';
import { isRelease } from '../check/gather/releases.js';
import { accessGrants } from '../check/rules/behaviour.js';
import type { LoadedConfig } from '../config/load.js';
import { openLogSource } from '../log/verify/open-log-source.js';
import { deviceMapSchema } from '../mud/index.js';
import { loadGrants } from '../mud/load.js';
import { loadTrustFile } from '../statements/index.js';
import type { TrafficPolicy } from './traffic-worker.js';

export interface TrafficPolicySource {
  /** Reads the devices and grants now (throws when they do not load). */
  load(now: Date): Promise<TrafficPolicy>;
  /** A fingerprint of the inputs: when it differs from the last load's, reload. */
  fingerprint(): Promise<string>;
}

/** Policy inputs named by a loaded config; `grantsFile` adds grants beside the logged ones. */
export function trafficPolicySource(
  loaded: LoadedConfig,
  cwd: string,
  grantsFile: string | undefined,
): TrafficPolicySource {
  const { config } = loaded;
  const base = loaded.file === undefined ? cwd : dirname(resolve(loaded.file));
  const devicesPath = config.check.devices;
  if (devicesPath === undefined) throw new TypeError('the config names no check.devices');
  const devicesFile = resolve(base, devicesPath);
  const logSource =
    config.check.log === undefined
      ? undefined
      : isLogUrl(config.check.log)
        ? config.check.log
        : resolve(base, config.check.log);
  const blobLocation =
    config.check.blobs !== undefined
      ? isLogUrl(config.check.blobs)
        ? config.check.blobs
        : resolve(base, config.check.blobs)
      : logSource === undefined || isLogUrl(logSource)
        ? logSource
        : join(logSource, 'blobs');
  const trustFile = config.trust === undefined ? undefined : resolve(base, config.trust);

  return {
    async load(now) {
      let statements: EvidenceIndex['evidence']['statements'] = [];
      if (logSource !== undefined) {
        if (trustFile === undefined) throw new TypeError('check.log needs a trust file (trust:)');
        statements = (await readLogStatements(logSource, loadTrustFile(trustFile), now)).statements;
      }
      const blobs = blobLocation === undefined ? undefined : openBlobSource(blobLocation);
      try {
        const devices = await loadJudgedDevices(devicesFile, statements.filter(isRelease), blobs);
        const logged = accessGrants(new EvidenceIndex({ statements }, now.getTime()).grants);
        return {
          devices,
          grants: grantsFile === undefined ? logged : [...logged, ...loadGrants(grantsFile)],
        };
      } finally {
        blobs?.close();
      }
    },
    async fingerprint() {
      const hash = createHash('sha256');
      if (logSource !== undefined) {
        const source = await openLogSource(logSource);
        try {
          hash.update(await source.readCheckpoint());
        } finally {
          await source.close();
        }
      }
      for (const file of [devicesFile, ...namedFiles(devicesFile), grantsFile])
        if (file !== undefined) hash.update(`${file}\0${stamp(file)}\0`);
      return hash.digest('hex');
    },
  };
}

/** The contexts and local MUD files a device map names (none when it does not parse). */
function namedFiles(devicesFile: string): string[] {
  try {
    const map = deviceMapSchema.safeParse(parseYaml(readFileSync(devicesFile, 'utf8')));
    if (!map.success) return [];
    const base = dirname(devicesFile);
    return map.data.devices.flatMap((d) => [
      resolve(base, d.context),
      ...(d.mud.startsWith('sha256:') ? [] : [resolve(base, d.mud)]),
    ]);
  } catch {
    return [];
  }
}

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'absent';
  }
}
