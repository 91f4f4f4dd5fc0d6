/** Shared setup of the ADE tests: a real SQLite cache in a temp dir, a secret box, the simulator, one server with a token. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDepServerService, type DepServerService, type DepServerServiceOptions } from '../../main/dep';
import { AesGcmSecretBox, type SecretBox } from '../../main/secrets';
import { openDatabase, type Db } from '../../main/store';
import { startDepSimulator, type DepSimulator, type DepSimulatorOptions } from '../support/dep-simulator';

/** Everything a test needs. */
export interface DepFixture {
  dir: string;
  db: Db;
  box: SecretBox;
  sim: DepSimulator;
  svc: DepServerService;
  serverId: string;
  publicKeyPem: string;
}

/** Opens a fresh cache + simulator and adds server "Main" with a token issued by the simulator. */
export async function depFixture(
  t: { after: (fn: () => Promise<void> | void) => void },
  simOpts: DepSimulatorOptions = {},
  svcOpts: DepServerServiceOptions = {},
  withToken = true,
): Promise<DepFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-dep-'));
  const db = openDatabase(dir);
  const box = new AesGcmSecretBox(crypto.randomBytes(32));
  const sim = await startDepSimulator(simOpts);
  t.after(async () => {
    await sim.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const svc = createDepServerService(db, box, 'test:dep', { sleep: async () => {}, ...svcOpts });
  const { server, publicKeyPem } = svc.add({ name: 'Main', baseUrl: sim.url });
  if (withToken) svc.uploadToken(server.id, sim.issueToken(publicKeyPem));
  return { dir, db, box, sim, svc, serverId: server.id, publicKeyPem };
}

/** Count of stored devices of a server. */
export function deviceCount(db: Db, serverId: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM dep_devices WHERE server_id = ?').get(serverId) as { n: number }).n;
}

/** The stored sync row. */
export function syncRow(db: Db, serverId: string): { cursor: string | null; phase: string; lock_owner: string | null } {
  return db.prepare('SELECT cursor, phase, lock_owner FROM dep_sync_state WHERE server_id = ?').get(serverId) as { cursor: string | null; phase: string; lock_owner: string | null };
}
