import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCrashCampaign } from './support/crash';

test('kill -9 during `sync --once` (5 runs): integrity ok, no change lost or applied twice, state converges', async () => {
  const lines: string[] = [];
  const r = await runCrashCampaign({ runs: 5, devices: 1000, users: 10, rows: 50, seed: 7, log: (l) => lines.push(l) });
  const info = `${JSON.stringify(r)}\n${lines.join('\n')}`;
  assert.equal(r.integrityFailures, 0, info);
  assert.equal(r.lost, 0, info);
  assert.equal(r.duplicated, 0, info);
  assert.equal(r.conflicts, 0, info);
  assert.equal(r.diverged, 0, info);
  assert.ok(r.changes >= 25, info);
  assert.ok(r.killed >= 3, `runs were killed mid-sync: ${info}`);
});
