/**
 * Migration 9: links between the bench's own tables and the tenant mirror (main/sync/local-links.ts).
 *
 * - `registration_users.origin`: `bench` = added or imported at this bench (pushed to the tenant
 *   as a create when local), `tenant` = brought in by a sync pull (the tenant already has it).
 *   `source` keeps its meaning (Ivanti `accountSource` LOCAL → `local`, LDAP → `ldap`).
 * - `inventory_devices.origin`: `bench` = registered or staged here, `tenant` = an entry created
 *   from a device the tenant listed; for those `registration_method` is the tenant's when its
 *   record says, else inferred (see local-links.ts).
 * - `sync_entity_map_by_tenant`: the reverse lookup (tenant id → local id) a pull makes for every
 *   record it applies.
 */
import type { Migration } from './types';

export const migration009: Migration = {
  version: 9,
  name: 'sync links',
  sql: `
      ALTER TABLE registration_users ADD COLUMN origin TEXT NOT NULL DEFAULT 'bench' CHECK (origin IN ('bench', 'tenant'));
      ALTER TABLE inventory_devices ADD COLUMN origin TEXT NOT NULL DEFAULT 'bench' CHECK (origin IN ('bench', 'tenant'));
      CREATE INDEX sync_entity_map_by_tenant ON sync_entity_map(entity, tenant_id);
    `,
};
