import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { createAuditService, queryAudit } from '../../main/audit';
import { appendAudit, openDatabase, type AuditInput } from '../../main/store';
import { tmpDir } from '../inventory/helpers';

function seeded() {
  const dir = tmpDir('sb-audit-');
  const db = openDatabase(dir);
  const rows: AuditInput[] = [];
  for (let i = 0; i < 600; i++) {
    rows.push({
      at: new Date(Date.UTC(2025, 0, 1) + i * 3600e3).toISOString(),
      actor: i % 3 === 0 ? 'cli:alice' : 'app:bob',
      action: ['inventory.retire', 'inventory.wipe', 'device.stage', 'profile.sign'][i % 4],
      target: i % 4 < 2 ? `inventory:${i}` : `UDID-${i}`,
      outcome: i % 5 === 0 ? 'failure' : 'success',
      detail: i === 78 ? 'serial C02_X%Y, "quoted", comma' : `row ${i}`,
    });
  }
  db.transaction(() => rows.forEach((r) => appendAudit(db, r)))();
  return { db, dir, rows };
}

test('audit list: filters by action (exact and prefix*), actor, target, outcome, time range and text; windowed newest first', () => {
  const { db, rows } = seeded();
  const audit = createAuditService(db);
  const withIds = rows.map((r, i) => ({ ...r, id: i + 1 }));
  const check = (q: Parameters<typeof audit.list>[0], pred: (r: (typeof withIds)[number]) => boolean) => {
    const exp = withIds.filter(pred).sort((a, b) => b.id - a.id);
    const got = audit.list({ ...q, limit: 1000 });
    assert.equal(got.total, exp.length, JSON.stringify(q));
    assert.deepEqual(got.rows.map((r) => r.id), exp.map((r) => r.id), JSON.stringify(q));
  };
  check({ action: 'inventory.wipe' }, (r) => r.action === 'inventory.wipe');
  check({ action: 'inventory.*' }, (r) => r.action.startsWith('inventory.'));
  check({ actor: 'cli:alice', outcome: 'failure' }, (r) => r.actor === 'cli:alice' && r.outcome === 'failure');
  check({ target: 'inventory:8' }, (r) => r.target === 'inventory:8');
  check({ since: '2025-01-05', until: '2025-01-06T12:00:00Z' }, (r) => r.at! >= '2025-01-05T00:00:00.000Z' && r.at! < '2025-01-06T12:00:00.000Z');
  check({ text: 'C02_X%' }, (r) => r.detail!.includes('C02_X%'));
  check({ text: '_X%' }, (r) => r.detail!.includes('_X%'));
  check({ text: 'row 12' }, (r) => r.detail!.includes('row 12'));
  const page = audit.list({ action: 'device.*', limit: 10, offset: 20 });
  const all = withIds.filter((r) => r.action === 'device.stage').sort((a, b) => b.id - a.id);
  assert.deepEqual(page.rows.map((r) => r.id), all.slice(20, 30).map((r) => r.id));
  const oldest = audit.list({ desc: false, sort: 'at', limit: 3 });
  assert.deepEqual(oldest.rows.map((r) => r.id), [1, 2, 3]);
});

test('audit list: bad filters are refused naming the field', () => {
  const { db } = seeded();
  assert.throws(() => queryAudit(db, { outcome: 'maybe' as never }), { name: 'AuditQueryError', field: 'outcome' });
  assert.throws(() => queryAudit(db, { since: 'yesterday' }), { field: 'since', message: /ISO-8601/ });
  assert.throws(() => queryAudit(db, { since: '2025-02-01', until: '2025-01-01' }), { field: 'until' });
  assert.throws(() => queryAudit(db, { sort: 'detail' as never }), { field: 'sort' });
  assert.throws(() => queryAudit(db, { limit: 0 }), { field: 'limit' });
});

test('audit export: CSV of the filtered rows with every column, quotes and commas intact', async () => {
  const { db, dir, rows } = seeded();
  const audit = createAuditService(db);
  const file = path.join(dir, 'audit.csv');
  const n = await audit.exportCsvFile(file, { actor: 'cli:alice' });
  const records = parse(fs.readFileSync(file), { columns: true }) as Record<string, string>[];
  const exp = rows.map((r, i) => ({ ...r, id: i + 1 })).filter((r) => r.actor === 'cli:alice').sort((a, b) => b.id - a.id);
  assert.equal(n, exp.length);
  assert.deepEqual(records.map((r) => Number(r.id)), exp.map((r) => r.id));
  assert.deepEqual(Object.keys(records[0]), ['id', 'at', 'actor', 'action', 'target', 'outcome', 'detail']);
  const r77 = records.find((r) => r.id === '79')!;
  assert.equal(r77.detail, 'serial C02_X%Y, "quoted", comma');
  assert.equal(r77.at, rows[78].at);
  assert.equal(r77.outcome, rows[78].outcome);
});

test('audit immutability: the service exposes no way to change rows, and the triggers refuse UPDATE / DELETE', () => {
  const { db } = seeded();
  const audit = createAuditService(db);
  assert.deepEqual(Object.keys(audit).sort(), ['exportCsv', 'exportCsvFile', 'list']);
  assert.ok(Object.isFrozen(audit));
  assert.throws(() => { (audit as unknown as Record<string, unknown>).delete = () => 0; });
  const before = queryAudit(db, { limit: 1000 }).rows;
  assert.throws(() => db.prepare("UPDATE audit_log SET outcome = 'success' WHERE id = 1").run(), /append-only/);
  assert.throws(() => db.prepare("UPDATE audit_log SET detail = '' ").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_log WHERE id = 5').run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/);
  assert.deepEqual(queryAudit(db, { limit: 1000 }).rows, before, 'nothing changed');
});
