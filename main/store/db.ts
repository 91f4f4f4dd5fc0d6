/**
 * Opens the SQLite cache (better-sqlite3): WAL journal, foreign keys on, a busy timeout, and every
 * pending migration applied in its own transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/** File name of the cache inside the data directory. */
export const DB_FILE = 'stagebench.sqlite3';

/**
 * Opens (creating if needed) `<dataDir>/stagebench.sqlite3` with mode 0600, applies migrations and
 * returns the connection. Throws when the file is from a newer StageBench (schema version above
 * the latest migration) — the operator must upgrade rather than lose data.
 */
export function openDatabase(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, DB_FILE);
  const db = new Database(file);
  try {
    fs.chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Current schema version (`PRAGMA user_version`). */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const current = schemaVersion(db);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new Error(`the cache at ${db.name} has schema version ${current}, newer than this StageBench (${latest}); upgrade StageBench to open it`);
  }
  // Applied set, not just user_version: a migration numbered below the current version that was
  // never applied (capabilities land independently) still runs.
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      db.pragma(`user_version = ${Math.max(m.version, schemaVersion(db))}`);
    })();
  }
}
