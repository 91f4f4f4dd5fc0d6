/**
 * Crash safety of the sync (`npm run bench -- sync-crash [runs]`, default 100): kill -9 the
 * process running `stagebench sync --once` at random moments against the reference tenant (see
 * test/sync/support/crash.ts), then check `PRAGMA integrity_check`, that no local change was lost
 * or applied twice on the tenant, and that the mirror converges. Prints
 * `sync-crash: <runs> runs, <n> integrity failures, <m> lost, <k> duplicated` (and a detail line);
 * exits 1 unless all three are 0 and the state converged.
 */
import { runCrashCampaign } from '../test/sync/support/crash';

/** Bench entry: `args[0]` = number of runs (default 100). */
export async function main(args: string[]): Promise<number> {
  const runs = Number(args[0] ?? 100);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error('usage: npm run bench -- sync-crash [runs ≥ 1]');
    return 2;
  }
  const t0 = Date.now();
  const r = await runCrashCampaign({ runs, devices: 2000, users: 20, rows: 50, changesPerRun: 6, log: (l) => console.error(l) });
  console.log(`sync-crash: ${r.runs} runs, ${r.integrityFailures} integrity failures, ${r.lost} lost, ${r.duplicated} duplicated`);
  console.log(`sync-crash detail: ${r.killed} killed (${r.killedMidPush} with a push in flight, ${r.killedMidPull} mid-pull), ${r.finishedBeforeKill} finished first, ${r.changes} changes, ${r.conflicts} conflicts, ${r.diverged} records diverged; kills 0–${r.killWindowMs[1]} ms after the child's first request; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return r.integrityFailures || r.lost || r.duplicated || r.conflicts || r.diverged ? 1 : 0;
}
