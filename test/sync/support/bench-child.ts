/**
 * The syncing process of bench/sync.ts: `node --import tsx bench-child.ts pull|push` with
 * STAGEBENCH_DATA_DIR and STAGEBENCH_PASSPHRASE set. Runs one sync (pull: devices only; push:
 * outbox only), timing it, and prints one JSON line {seconds, vmHwmMb, result} on stdout.
 */
import fs from 'node:fs';
import { openHeadlessSecretBox } from '../../../main/secrets';
import { openDatabase } from '../../../main/store';
import { runSync } from '../../../main/sync';

/** Peak resident set (VmHWM) of this process in MB, from /proc/self/status; null off Linux. */
export function selfHwmMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const mode = process.argv[2];
if (mode !== 'pull' && mode !== 'push') {
  process.stderr.write('usage: bench-child.ts pull|push\n');
  process.exit(2);
}
const dir = process.env.STAGEBENCH_DATA_DIR!;
const db = openDatabase(dir);
const box = openHeadlessSecretBox(dir);
const t0 = process.hrtime.bigint();
const result = await runSync(db, box, { entities: mode === 'pull' ? ['device'] : [] });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
db.close();
process.stdout.write(`${JSON.stringify({ seconds, vmHwmMb: selfHwmMb(), result })}\n`);
