import type { VendorIdentity } from '../inventory/vendor.js';
import type { RegistryInput } from './schema.js';

/** Every identity of a registry, restricted entities first, for a VendorResolver. */
export function identitiesOf(registry: RegistryInput): VendorIdentity[] {
  const out: VendorIdentity[] = [];
  for (const [id, entity] of Object.entries(registry.entities)) {
    // A category entity (foreign-produced UAS) is matched on item fields, not on names.
    if (entity.match !== undefined) continue;
    out.push({
      id,
      canonical: entity.canonical,
      aliases: entity.aliases,
      subsidiaries: entity.subsidiaries,
      notAffiliated: entity.not_affiliated,
    });
  }
  for (const [id, vendor] of Object.entries(registry.known_vendors)) {
    const [canonical = id, ...aliases] = vendor.names;
    out.push({ id, canonical, aliases });
  }
  return out;
}
