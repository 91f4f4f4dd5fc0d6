import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng, randomQuery, seedInventory } from '../../bench/inventory-table';
import { createInventoryService, INVENTORY_SORTS, queryInventory, validateQuery, type InventoryQuery } from '../../main/inventory';
import { INVENTORY_TABLE, inventoryConditions } from '../../main/inventory/table';
import { openDatabase, type Db } from '../../main/store';
import { queryWindow } from '../../main/store/window';
import { freshDb } from './helpers';

/** `q` by SQL alone (no match set, no cached order) on a new connection, inside a transaction so nothing is cached. */
function reference(dir: string, q: InventoryQuery) {
  const fresh = openDatabase(dir);
  try {
    return fresh.transaction(() => {
      const v = validateQuery(q);
      return queryWindow(fresh, INVENTORY_TABLE, { ...inventoryConditions(fresh, v), match: undefined, sort: v.sort, desc: v.desc, offset: v.offset, limit: v.limit });
    })();
  } finally {
    fresh.close();
  }
}

/** What `db` returns for `q` (caches in use) and the reference: they must agree. */
function same(db: Db, dir: string, q: InventoryQuery, label: string): { total: number; ids: number[] } {
  const got = queryInventory(db, q);
  const ref = reference(dir, q);
  assert.equal(got.total, ref.total, `total: ${label}`);
  assert.deepEqual(got.rows.map((d) => d.id), ref.rows.map((d) => d.id), `rows: ${label}`);
  assert.deepEqual(got.nextCursor, ref.nextCursor, `cursor: ${label}`);
  return { total: got.total, ids: got.rows.map((d) => d.id) };
}

const QUERIES: InventoryQuery[] = [
  { search: 'iPad', sort: 'lastCheckIn', offset: 150, limit: 40 },
  { search: 'iPad', status: 'Active', sort: 'owner', desc: true, offset: 300 },
  { search: 'Pixel', platform: 'Android', sort: 'model', offset: 20 },
  { status: 'Active', sort: 'udid', offset: 2000 },
  { platform: 'iOS', sort: 'registeredAt', desc: true, offset: 1200, limit: 7 },
];

test('window caches: totals, match sets and sort orders follow this connection\'s writes, rollbacks included', () => {
  const { db, dir } = freshDb();
  seedInventory(db, 3000, 11);
  db.exec('ANALYZE');
  const inv = createInventoryService(db, 'test');
  for (const q of QUERIES) same(db, dir, q, `cold ${JSON.stringify(q)}`);
  for (const q of QUERIES) same(db, dir, q, `warm ${JSON.stringify(q)}`);
  const before = same(db, dir, QUERIES[1], 'before retire');
  inv.retire(before.ids.slice(0, 3));
  assert.equal(same(db, dir, QUERIES[1], 'after retire').total, before.total - 3);
  const added = inv.register({ platform: 'iPadOS', osVersion: '18.1', serialNumber: 'CACHE00001', owner: 'zed.cache@example.com', method: 'invitation', model: 'iPad Air (M2)' }).device.id;
  assert.ok(queryInventory(db, { search: 'zed.cac' }).rows.some((d) => d.id === added), 'a new owner is found at once');
  for (const q of QUERIES) same(db, dir, q, `after register ${JSON.stringify(q)}`);
  const total = queryInventory(db, QUERIES[0]).total;
  assert.throws(() => db.transaction(() => {
    db.prepare("UPDATE inventory_devices SET model = 'Gone' WHERE model LIKE 'iPad%' AND id % 2 = 0").run();
    assert.ok(queryInventory(db, QUERIES[0]).total < total, 'inside the transaction the write is seen');
    throw new Error('roll back');
  })(), /roll back/);
  assert.equal(same(db, dir, QUERIES[0], 'after rollback').total, total);
  for (const q of QUERIES) same(db, dir, q, `after rollback ${JSON.stringify(q)}`);
});

test('window caches: another connection\'s commits are seen (data_version)', () => {
  const { db, dir } = freshDb();
  seedInventory(db, 3000, 12);
  for (const q of QUERIES) same(db, dir, q, `warm ${JSON.stringify(q)}`);
  const other = openDatabase(dir);
  try {
    other.prepare("UPDATE inventory_devices SET status = 'Wiped', owner_email = 'moved.elsewhere@example.com' WHERE id % 5 = 0").run();
  } finally {
    other.close();
  }
  for (const q of QUERIES) same(db, dir, q, `after other connection ${JSON.stringify(q)}`);
  assert.ok(queryInventory(db, { search: 'moved.else' }).total > 500, 'owners changed elsewhere are found');
});

test('window caches: random windows cut from cached sort orders match the SQL plans', () => {
  const { db, dir } = freshDb();
  const terms = seedInventory(db, 3000, 13);
  db.exec('ANALYZE');
  // A search matching over 2,000 rows reads every sort's key order; later searches use them.
  for (const sort of INVENTORY_SORTS) same(db, dir, { search: 'example', sort, offset: 1500 }, `orders ${sort}`);
  const r = prng(7);
  for (let i = 0; i < 150; i++) {
    const { q } = randomQuery(r, terms);
    q.limit = 1 + Math.floor(r() * 120);
    const first = same(db, dir, q, JSON.stringify(q));
    same(db, dir, { ...q, offset: Math.floor(r() * (first.total + 10)) }, `deep ${JSON.stringify(q)}`);
  }
});
