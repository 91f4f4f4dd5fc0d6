/**
 * The kill -9 campaign shared by test/sync/sync-crash.test.ts (a few runs) and bench/sync-crash.ts
 * (≥ 100 runs). One bench data dir and one reference tenant; each run the parent records a random
 * batch of local changes (user create + invite on the local id, invites and name updates of
 * mirrored users, device custom attributes), then starts `sync --once` in a child process and
 * SIGKILLs it at a random moment. After every kill: `PRAGMA integrity_check` must say ok and every
 * recorded change must still be in the outbox or acknowledged. At the end one uninterrupted sync
 * must converge: outbox empty, every change applied on the tenant exactly once (tenant apply log
 * by idempotency key, plus invite counters), mirror revisions equal to the tenant's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openHeadlessSecretBox } from '../../../main/secrets';
import { openDatabase, DB_FILE } from '../../../main/store';
import { createSyncService, listMirrorDevices, listMirrorUsers, recordLocalChange } from '../../../main/sync';
import { startTestTenant, TENANT_PASSWORD, TENANT_USER } from '../../support/tenant';
import { startSyncCli, runSyncCli } from './run';

/** Campaign settings. */
export interface CrashOptions {
  runs: number;
  devices?: number;
  users?: number;
  rows?: number;
  changesPerRun?: number;
  /** Deterministic seed for the change mix and kill times. */
  seed?: number;
  log?: (line: string) => void;
}

/** Campaign figures. `lost`/`duplicated` count changes; `diverged` records whose mirror revision differs from the tenant's at the end. */
export interface CrashReport {
  runs: number;
  killed: number;
  /** Kills that left an outbox entry in flight (state sending: sent, maybe applied, not acknowledged). */
  killedMidPush: number;
  /** Kills that left a pull sweep open (checkpoint mid-listing). */
  killedMidPull: number;
  finishedBeforeKill: number;
  integrityFailures: number;
  lost: number;
  duplicated: number;
  conflicts: number;
  diverged: number;
  changes: number;
  /** Kill delays are drawn from this range, in ms after the child's first request to the tenant. */
  killWindowMs: [number, number];
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Runs the campaign; resolves with the figures (never throws for a failed check: it counts it). */
export async function runCrashCampaign(opts: CrashOptions): Promise<CrashReport> {
  const log = opts.log ?? (() => undefined);
  const random = rng(opts.seed ?? 20_251_121);
  const rows = opts.rows ?? 100;
  // Writes answer a few ms after they are applied, so kills also land between apply and acknowledgement.
  const tenant = await startTestTenant({
    devices: opts.devices ?? 2000, users: opts.users ?? 20,
    faults: ['POST /api/v1/accounts', 'PUT /api/v1/account/invite', 'PUT /api/v1/account/{id}', 'PUT /api/v1/device/{id}/customattributes']
      .map((endpoint) => ({ endpoint, delayMs: 4, when: 'after' as const, times: Infinity })),
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-crash-'));
  const env = { STAGEBENCH_DATA_DIR: dir, STAGEBENCH_PASSPHRASE: 'crash-test-passphrase' };
  {
    const db = openDatabase(dir);
    createSyncService(db, openHeadlessSecretBox(dir, env), 'crash:parent').configure({ url: tenant.url, user: TENANT_USER, password: TENANT_PASSWORD });
    db.close();
  }
  const report: CrashReport = { runs: opts.runs, killed: 0, killedMidPush: 0, killedMidPull: 0, finishedBeforeKill: 0, integrityFailures: 0, lost: 0, duplicated: 0, conflicts: 0, diverged: 0, changes: 0, killWindowMs: [0, 0] };
  const created = new Set<string>();
  const lostIds = new Set<string>(); // changes that vanished (after a kill, or not applied at the end)
  const expectedInvites = new Map<string, number>(); // uid → invites queued after it was SENT
  const args = ['sync', '--once', '--rows', String(rows)];
  try {
    // Calibrate: an uninterrupted run gives the time from the child's first request to the tenant
    // until it exits (the sync itself, without Node/tsx start-up); kills are spread over that span.
    // The first run also fills the local tables from the tenant (inventory, registration users —
    // main/sync/local-links.ts), which later runs only check, so the second run is the one timed.
    let firstAt = 0;
    for (let i = 0; i < 2; i++) {
      firstAt = 0;
      tenant.onRequest = () => void (firstAt ||= Date.now());
      const first = await runSyncCli(args, env);
      if (first.code !== 0) throw new Error(`calibration sync failed: ${first.stderr}`);
    }
    const span = Math.max(50, Date.now() - firstAt);
    report.killWindowMs = [0, Math.round(span * 1.2)];
    log(`calibration: sync --once spends ${span} ms talking to the tenant; kills land 0–${report.killWindowMs[1]} ms after its first request`);
    let serial = 0;
    for (let run = 1; run <= opts.runs; run++) {
      const db = openDatabase(dir);
      const users = listMirrorUsers(db, { limit: 100_000 });
      const devices = listMirrorDevices(db, { limit: 200 });
      db.transaction(() => {
        for (let i = 0; i < (opts.changesPerRun ?? 6); i++) {
          const pick = random();
          let e;
          if (pick < 0.25 || users.length === 0) {
            const email = `crash${run}-${++serial}@example.com`;
            e = recordLocalChange(db, { entity: 'user', entityId: `local-${run}-${serial}`, op: 'create', payload: { emailAddress: email, firstName: `R${run}` }, actor: 'crash' });
            expectedInvites.set(email, expectedInvites.get(email) ?? 0);
            if (random() < 0.5) {
              const inv = recordLocalChange(db, { entity: 'user', entityId: e.entityId, op: 'invite', actor: 'crash' });
              created.add(inv.mutationId);
              expectedInvites.set(email, expectedInvites.get(email)! + 1);
            }
          } else if (pick < 0.5) {
            const u = users[Math.floor(random() * users.length)];
            e = recordLocalChange(db, { entity: 'user', entityId: u.id, op: 'invite', actor: 'crash' });
            expectedInvites.set(u.uid!, (expectedInvites.get(u.uid!) ?? 0) + 1);
          } else if (pick < 0.7) {
            const u = users[Math.floor(random() * users.length)];
            e = recordLocalChange(db, { entity: 'user', entityId: u.id, op: 'update', payload: { lastName: `L${run}-${i}` }, actor: 'crash' });
          } else {
            const d = devices[Math.floor(random() * devices.length)];
            e = recordLocalChange(db, { entity: 'device', entityId: d.id, op: 'update', payload: { attributes: { run: String(run), i: String(i) } }, actor: 'crash' });
          }
          created.add(e.mutationId);
        }
      })();
      db.close();
      const killAt = random() * report.killWindowMs[1];
      const { child, done } = startSyncCli(args, env);
      let timer: NodeJS.Timeout | null = null;
      tenant.onRequest = () => {
        tenant.onRequest = null;
        timer = setTimeout(() => child.kill('SIGKILL'), killAt);
      };
      const res = await done;
      tenant.onRequest = null;
      if (timer) clearTimeout(timer);
      if (res.signal === 'SIGKILL') report.killed++;
      else report.finishedBeforeKill++;
      // After the crash: the file is sound and no change vanished.
      const check = new Database(path.join(dir, DB_FILE));
      const integrity = check.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') {
        report.integrityFailures++;
        log(`run ${run}: integrity_check → ${String(integrity)}`);
      }
      const known = new Set([
        ...(check.prepare('SELECT mutation_id FROM sync_outbox').pluck().all() as string[]),
        ...(check.prepare('SELECT mutation_id FROM sync_acks').pluck().all() as string[]),
      ]);
      const missing = [...created].filter((m) => !known.has(m));
      if (missing.length) log(`run ${run}: ${missing.length} changes neither queued nor acknowledged`);
      for (const m of missing) lostIds.add(m);
      if (res.signal === 'SIGKILL') {
        if (check.prepare("SELECT COUNT(*) FROM sync_outbox WHERE state = 'sending'").pluck().get()) report.killedMidPush++;
        if (check.prepare('SELECT COUNT(*) FROM sync_checkpoints WHERE sweep_id IS NOT NULL').pluck().get()) report.killedMidPull++;
      }
      check.close();
      if (run % 10 === 0 || run === opts.runs) log(`run ${run}/${opts.runs}: ${res.signal === 'SIGKILL' ? `killed at ${Math.round(killAt)} ms` : 'finished before the kill'}`);
    }
    // Converge: uninterrupted syncs until the outbox is empty.
    for (let i = 0; i < 3; i++) {
      const r = await runSyncCli([...args, '--format', 'json'], env);
      const out = JSON.parse(r.stdout || '{}') as { status?: { pending: number } };
      if (out.status?.pending === 0) break;
    }
    const db = openDatabase(dir);
    const acked = new Set(db.prepare('SELECT mutation_id FROM sync_acks').pluck().all() as string[]);
    const outbox = db.prepare('SELECT COUNT(*) FROM sync_outbox').pluck().get() as number;
    report.conflicts = db.prepare('SELECT COUNT(*) FROM sync_conflicts').pluck().get() as number;
    const applied = new Map<string, number>();
    for (const r of tenant.store.applyLog()) if (r.key) applied.set(r.key, (applied.get(r.key) ?? 0) + 1);
    for (const m of created) {
      if (!acked.has(m) || !applied.has(m)) lostIds.add(m);
      if ((applied.get(m) ?? 0) > 1) report.duplicated++;
    }
    report.lost += lostIds.size;
    for (const k of applied.keys()) if (!created.has(k)) report.duplicated++; // applied under a key the bench never made
    for (const [uid, n] of expectedInvites) {
      const a = tenant.store.accountByUid(uid);
      const got = Number(a?.inviteResendCount ?? -1);
      if (!a) report.lost++;
      else if (got > n) report.duplicated += got - n;
      else if (got < n) report.lost += n - got;
    }
    const snap = tenant.store.snapshot();
    const mUsers = new Map(listMirrorUsers(db, { limit: 1_000_000 }).map((u) => [u.id, u.revision]));
    const mDevices = new Map(listMirrorDevices(db, { limit: 1_000_000 }).map((d) => [d.id, d.revision]));
    for (const a of snap.accounts) if (mUsers.get(a.id) !== a.revision) report.diverged++;
    for (const d of snap.devices) if (mDevices.get(d.id) !== d.revision) report.diverged++;
    report.diverged += Math.max(0, mUsers.size - snap.accounts.length) + Math.max(0, mDevices.size - snap.devices.length);
    if (outbox) log(`outbox still holds ${outbox} entries after converging`);
    report.changes = created.size;
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') report.integrityFailures++;
    db.close();
  } finally {
    await tenant.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
