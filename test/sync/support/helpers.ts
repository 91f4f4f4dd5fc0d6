/**
 * Helpers for sync tests: a bench (data dir + SQLite cache + secret box + sync service) pointed
 * at a reference tenant, a recording fake clock, and admin calls to the reference tenant.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AesGcmSecretBox, type SecretBox } from '../../../main/secrets';
import { openDatabase, type Db } from '../../../main/store';
import { createSyncService, type SyncService, type SyncServiceOptions } from '../../../main/sync';
import type { Clock } from '../../../main/tenant';
import { TENANT_PASSWORD, TENANT_USER } from '../../support/tenant';

/** A bench under test. */
export interface TestBench {
  dir: string;
  db: Db;
  box: SecretBox;
  sync: SyncService;
  close(): Promise<void>;
}

/** A clock whose sleeps return at once and are recorded (ms). */
export function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms) };
}

/** Creates a bench in a new temp dir, configured for `tenantUrl` (unless `configure` is false). */
export function makeBench(tenantUrl: string, opts: SyncServiceOptions & { configure?: boolean; password?: string } = {}): TestBench {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-sync-'));
  const db = openDatabase(dir);
  const box = new AesGcmSecretBox(crypto.randomBytes(32));
  const sync = createSyncService(db, box, 'test:bench', { retry: { baseDelayMs: 1, maxAttempts: 4 }, clock: recordingClock(), ...opts });
  if (opts.configure !== false) sync.configure({ url: tenantUrl, user: TENANT_USER, password: opts.password ?? TENANT_PASSWORD });
  return {
    dir, db, box, sync,
    close: async () => {
      await sync.stop();
      db.close();
    },
  };
}

/** Calls an admin endpoint of the reference tenant; returns the parsed JSON. Throws on non-2xx. */
export async function admin<T = unknown>(url: string, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/__admin/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`admin ${method} ${route}: HTTP ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}
