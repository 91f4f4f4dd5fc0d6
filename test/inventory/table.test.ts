import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng, randomQuery, seedInventory } from '../../bench/inventory-table';
import {
  createInventoryService, INVENTORY_SORTS, queryInventory, type InventoryDevice, type InventoryQuery, type InventorySort,
} from '../../main/inventory';
import { DEVICE_COLUMNS } from '../../main/inventory/repository';
import type { Db } from '../../main/store';
import { freshDb } from './helpers';

const FIELD: Record<InventorySort, keyof InventoryDevice> = {
  id: 'id', platform: 'platform', model: 'model', osVersion: 'osVersion', serialNumber: 'serialNumber', udid: 'udid', imei: 'imei',
  owner: 'ownerEmail', method: 'registrationMethod', status: 'status', registeredAt: 'registeredAt', lastCheckIn: 'lastCheckIn', lastStagedAt: 'lastStagedAt',
};
const NOCASE = new Set<InventorySort>(['model', 'serialNumber', 'udid', 'imei', 'owner']);
const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The expected window, computed in JS from every row (SQLite NULL / NOCASE ordering, id tie-breaker). */
function expected(all: InventoryDevice[], q: InventoryQuery): { ids: number[]; total: number } {
  const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const statuses = list(q.status);
  const platforms = list(q.platform);
  const term = q.search ? asciiLower(q.search) : null;
  const fields = (d: InventoryDevice): string[] => [d.serialNumber, d.udid, d.imei, d.ownerEmail, d.model].filter((v): v is string => v !== null).map(asciiLower);
  const rows = all.filter((d) => (!statuses.length || statuses.includes(d.status))
    && (!platforms.length || platforms.includes(d.platform))
    && (!q.owner || asciiLower(d.ownerEmail ?? '') === asciiLower(q.owner))
    && (!term || fields(d).some((f) => ([...term].length < 3 ? f.startsWith(term) : f.includes(term)))));
  const sort = q.sort ?? 'id';
  const key = (d: InventoryDevice): string | number | null => {
    const v = d[FIELD[sort]] as string | number | null;
    return typeof v === 'string' && NOCASE.has(sort) ? asciiLower(v) : v;
  };
  const cmp = (a: InventoryDevice, b: InventoryDevice): number => {
    const x = key(a);
    const y = key(b);
    if (x !== y) {
      if (x === null) return -1;
      if (y === null) return 1;
      return x < y ? -1 : 1;
    }
    return a.id - b.id;
  };
  rows.sort((a, b) => (q.desc ? -cmp(a, b) : cmp(a, b)));
  const offset = q.offset ?? 0;
  return { ids: rows.slice(offset, offset + (q.limit ?? 100)).map((d) => d.id), total: rows.length };
}

function allRows(db: Db): InventoryDevice[] {
  return db.prepare(`SELECT ${DEVICE_COLUMNS} FROM inventory_devices d`).all() as InventoryDevice[];
}

function seeded() {
  const { db } = freshDb();
  const terms = seedInventory(db, 3000, 5);
  // Rows whose text holds LIKE wildcards and quotes, and mixed case, as a tenant sync may bring.
  const ins = db.prepare(`INSERT INTO inventory_devices (platform, model, os_version, serial_number, owner_email, registration_method, status, registered_at, status_changed_at)
    VALUES ('iPadOS', ?, '18.1', ?, ?, 'ABM', 'Active', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`);
  ins.run('50% Tablet_X', 'PCT0000001', 'per%cent@example.com');
  ins.run('50x Tablet', 'PCT0000002', 'under_score@example.com');
  ins.run('Quote "Pad"', 'pct0000003', 'underXscore@example.com');
  ins.run('%lead', 'ZZ_0000004', '_x@example.com');
  db.exec('ANALYZE');
  return { db, terms };
}

test('window: random search + sort + filter + offset combinations match a JS reference (rows, order, total)', () => {
  const { db, terms } = seeded();
  const all = allRows(db);
  const r = prng(99);
  let walked = 0;
  for (let i = 0; i < 400; i++) {
    const { q } = randomQuery(r, terms);
    q.limit = 1 + Math.floor(r() * 150);
    const exp0 = expected(all, { ...q, offset: 0 });
    q.offset = r() < 0.5 ? 0 : Math.floor(r() * (exp0.total + 20));
    if (exp0.total > 2000) walked++;
    const got = queryInventory(db, q);
    const exp = expected(all, q);
    assert.equal(got.total, exp.total, `total of ${JSON.stringify(q)}`);
    assert.deepEqual(got.rows.map((d) => d.id), exp.ids, `rows of ${JSON.stringify(q)}`);
  }
  assert.ok(walked > 20, 'both plans (index walk and filter-first) are exercised');
});

test('window: every sort column, both directions, first and deep windows', () => {
  const { db } = seeded();
  const all = allRows(db);
  for (const sort of INVENTORY_SORTS) {
    for (const desc of [false, true]) {
      for (const q of [{ sort, desc, limit: 50 }, { sort, desc, offset: 2950, limit: 100 }, { sort, desc, status: 'Active' as const, offset: 1000, limit: 30 }]) {
        const got = queryInventory(db, q);
        const exp = expected(all, q);
        assert.deepEqual(got.rows.map((d) => d.id), exp.ids, JSON.stringify(q));
        assert.equal(got.total, exp.total);
      }
    }
  }
});

test('window: keyset pages (nextCursor) cover every matching row once, in order, NULLs included', () => {
  const { db } = seeded();
  const all = allRows(db);
  for (const q of [
    { sort: 'lastStagedAt' as const }, { sort: 'lastStagedAt' as const, desc: true }, { sort: 'owner' as const, desc: true, platform: 'macOS' as const },
    { sort: 'id' as const, desc: true }, { sort: 'model' as const, search: 'iPad' },
  ]) {
    const ids: number[] = [];
    let page = queryInventory(db, { ...q, limit: 97 });
    ids.push(...page.rows.map((d) => d.id));
    while (page.nextCursor) {
      page = queryInventory(db, { ...q, limit: 97 }, page.nextCursor);
      ids.push(...page.rows.map((d) => d.id));
    }
    const exp = expected(all, { ...q, limit: 1e9 });
    assert.deepEqual(ids, exp.ids, JSON.stringify(q));
  }
});

test('search: % and _ match literally, on both the 3+ character and the short path', () => {
  const { db } = seeded();
  const all = allRows(db);
  const cases: [string, string[]][] = [
    ['%', ['%lead']],
    ['50%', ['50% Tablet_X']],
    ['_X', []],
    ['t_x', ['50% Tablet_X']],
    ['r_s', ['under_score@example.com']],
    ['per%c', ['per%cent@example.com']],
    ['_x@', ['_x@example.com']],
    ['"Pad"', ['Quote "Pad"']],
    ['ZZ_', ['ZZ_0000004']],
    ['pct00', ['PCT0000001', 'PCT0000002', 'pct0000003']],
  ];
  for (const [term, hits] of cases) {
    const got = queryInventory(db, { search: term, limit: 1000 });
    const exp = expected(all, { search: term, limit: 1000 });
    assert.deepEqual(got.rows.map((d) => d.id), exp.ids, term);
    for (const h of hits) assert.ok(got.rows.some((d) => [d.model, d.serialNumber, d.ownerEmail].includes(h)), `${term} finds ${h}`);
    if (hits.length) assert.equal(got.total, hits.length, `${term}: only literal matches`);
  }
  assert.equal(queryInventory(db, { search: '%' }).total, 1, '"%" is not a wildcard');
  assert.equal(queryInventory(db, { search: '_' }).total, 1, '"_" is not a wildcard');
});

test('search stays in step with writes (FTS triggers, distinct-value cache)', () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test');
  assert.equal(inv.list({ search: 'QWERTY' }).total, 0);
  const a = inv.register({ platform: 'iOS', osVersion: '17.4', serialNumber: 'QWERTY1234', owner: 'dora@example.com', method: 'invitation', model: 'iPhone 15' }).device.id;
  assert.deepEqual(inv.list({ search: 'werty1' }).rows.map((d) => d.id), [a]);
  assert.equal(inv.list({ search: 'dora@' }).total, 1);
  inv.register({ platform: 'iOS', osVersion: '17.5', serialNumber: 'QWERTY1234', owner: 'erin@example.com', method: 'invitation' });
  assert.equal(inv.list({ search: 'dora@' }).total, 0, 'the old owner is gone after re-registration');
  assert.equal(inv.list({ search: 'erin' }).total, 1);
  inv.retire([a]);
  inv.delete([a]);
  assert.equal(inv.list({ search: 'werty' }).total, 0);
  assert.equal(inv.list({ search: 'erin' }).total, 0);
});

test('window: invalid requests name the field and are refused', () => {
  const { db } = freshDb();
  assert.throws(() => queryInventory(db, { sort: 'serial_number; DROP TABLE x' as InventorySort }), { field: 'sort' });
  assert.throws(() => queryInventory(db, { limit: 0 }), { name: 'WindowQueryError', field: 'limit' });
  assert.throws(() => queryInventory(db, { limit: 1001 }), { field: 'limit' });
  assert.throws(() => queryInventory(db, { offset: -1 }), { field: 'offset' });
  assert.throws(() => queryInventory(db, { offset: 1.5 }), { field: 'offset' });
  assert.throws(() => queryInventory(db, { status: 'Gone' as never }), { field: 'status', message: /Active, Retired, Wiped, Reset/ });
  assert.throws(() => queryInventory(db, { platform: 'Symbian' as never }), { field: 'platform' });
  assert.throws(() => queryInventory(db, { offset: 5 }, { value: null, key: 1 }), { field: 'offset' });
  assert.throws(() => queryInventory(db, { sort: 'model' }, { value: null, key: 1 }), { field: 'after' });
});

test('indexes: the window queries never sort or scan the whole table', () => {
  const { db } = seeded();
  const plans: string[] = [];
  const orig = db.prepare.bind(db);
  (db as unknown as { prepare: typeof db.prepare }).prepare = ((sql: string) => {
    if (/^\s*(SELECT|WITH)/i.test(sql) && /inventory_devices/.test(sql)) plans.push(sql);
    return orig(sql);
  }) as typeof db.prepare;
  for (const sort of INVENTORY_SORTS) queryInventory(db, { sort, status: 'Active', offset: 1500 });
  (db as unknown as { prepare: typeof db.prepare }).prepare = orig;
  for (const sql of plans.filter((s) => /INDEXED BY inventory_sort_/.test(s))) {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql.replace(/\?/g, "'Active'")}`).all() as { detail: string }[]).map((p) => p.detail).join(' | ');
    assert.doesNotMatch(plan, /TEMP B-TREE/, `walk plan sorts: ${plan}`);
    assert.doesNotMatch(plan, /SCAN d$|SCAN d \|/, `walk plan reads the table: ${plan}`);
  }
  assert.ok(plans.some((s) => /INDEXED BY inventory_sort_/.test(s)));
});
