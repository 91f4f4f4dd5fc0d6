/**
 * Numbered schema migrations of the local cache, one file each (`NNN-name.ts`). Each runs once, in
 * order, inside a transaction; `PRAGMA user_version` holds the schema version and
 * `schema_migrations` records when each was applied. Never edit a released migration: add the next
 * number. Numbers are reserved per capability: 1 staging cache, 2 ADE (main/dep), 3 registration,
 * 4 tenant sync.
 */
import { migration001 } from './001-staging-cache';
import type { Migration } from './types';

export type { Migration } from './types';

/** All migrations, in version order. */
export const MIGRATIONS: readonly Migration[] = [migration001].sort((a, b) => a.version - b.version);
