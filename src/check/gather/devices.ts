/**
 * The devices flows are judged against: the device map, with each MUD file named by digest read
 * from the blob store, and only when a logged release declares that digest. Shared by the check
 * and the traffic workers, so both judge against the same compiled MUD files.
 */
import type { BehaviourDevice } from '../../mud/index.js';
import { loadDeviceMap } from '../../mud/load.js';
import type { BlobSource } from './blobs.js';
import type { LoggedRelease } from './releases.js';

export async function loadJudgedDevices(
  devicesFile: string,
  releases: readonly LoggedRelease[],
  blobs: BlobSource | undefined,
): Promise<BehaviourDevice[]> {
  const muds = new Map<string, string>();
  if (blobs !== undefined) {
    for (const hex of new Set(releases.map((r) => r.statement.predicate.mud.digest.sha256))) {
      const bytes = await blobs.get(hex);
      if (bytes !== undefined) muds.set(hex, bytes.toString('utf8'));
    }
  }
  return loadDeviceMap(devicesFile, { mudByDigest: (hex) => muds.get(hex) });
}
