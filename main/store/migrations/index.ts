/**
 * Numbered schema migrations of the local cache, one file each (`NNN-name.ts`). Each runs once, in
 * order, inside a transaction; `PRAGMA user_version` holds the schema version and
 * `schema_migrations` records when each was applied. Never edit a released migration: add the next
 * number. Numbers are reserved per capability: 1 staging cache, 2 ADE servers and devices,
 * 3 ADE profiles, 4 registration (users, invitations), 5 device inventory, 6 tenant sync, 7 organizations (supervision identities), 8 blueprints and device logs, 9 sync links
 * (local rows ↔ tenant records).
 */
import { migration001 } from './001-staging-cache';
import { migration002 } from './002-ade-servers';
import { migration003 } from './003-ade-profiles';
import { migration004 } from './004-registration';
import { migration005 } from './005-inventory';
import { migration006 } from './006-sync';
import { migration007 } from './007-organizations';
import { migration008 } from './008-blueprints';
import { migration009 } from './009-sync-links';
import type { Migration } from './types';

export type { Migration } from './types';

/** All migrations, in version order. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009].sort((a, b) => a.version - b.version);
