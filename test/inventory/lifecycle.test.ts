import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInventoryService, type DeviceStatus, type LifecycleAction } from '../../main/inventory';
import { auditRows, freshDb, inventoryCount } from './helpers';

function setup() {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test:alice');
  let n = 0;
  const add = (status: DeviceStatus = 'Active'): number => {
    n++;
    const id = inv.register({ platform: 'iOS', osVersion: '17.4', serialNumber: `SERIAL${String(n).padStart(4, '0')}`, owner: 'alice@example.com', method: 'invitation' }).device.id;
    if (status === 'Retired') inv.retire([id]);
    if (status === 'Wiped') inv.wipe([id]);
    if (status === 'Reset') inv.markReset([id]);
    return id;
  };
  return { db, inv, add };
}

// Expected outcome of every action from every status (lifecycle.ts table).
const EXPECTED: Record<LifecycleAction, Record<DeviceStatus, DeviceStatus | null | 'refused'>> = {
  retire: { Active: 'Retired', Reset: 'Retired', Retired: 'refused', Wiped: 'refused' },
  wipe: { Active: 'Wiped', Reset: 'refused', Retired: 'refused', Wiped: 'refused' },
  delete: { Active: 'refused', Reset: 'refused', Retired: null, Wiped: null },
  reset: { Active: 'Reset', Reset: 'refused', Retired: 'refused', Wiped: 'refused' },
};

for (const [action, row] of Object.entries(EXPECTED) as [LifecycleAction, Record<DeviceStatus, DeviceStatus | null | 'refused'>][]) {
  for (const [from, expected] of Object.entries(row) as [DeviceStatus, DeviceStatus | null | 'refused'][]) {
    test(`lifecycle: ${action} from ${from} → ${expected === null ? 'deleted' : expected}`, () => {
      const { db, inv, add } = setup();
      const id = add(from);
      assert.equal(inv.get(id)!.status, from);
      const before = auditRows(db).length;
      const res = inv.act(action, [id]);
      const audit = auditRows(db).slice(before);
      assert.equal(audit.length, 1);
      assert.equal(audit[0].action, `inventory.${action}`);
      assert.equal(audit[0].target, `inventory:${id}`);
      assert.equal(audit[0].actor, 'test:alice');
      if (expected === 'refused') {
        assert.equal(res.failed, 1);
        assert.equal(res.results[0].ok, false);
        assert.match(res.results[0].error!, new RegExp(`cannot ${action} device #${id}`));
        assert.equal(inv.get(id)!.status, from, 'a refused action changes nothing');
        assert.equal(audit[0].outcome, 'failure');
      } else {
        assert.deepEqual(res.results[0], { id, ok: true, from, to: expected });
        assert.equal(audit[0].outcome, 'success');
        assert.match(audit[0].detail, new RegExp(`${from} → ${expected ?? 'deleted'}`));
        if (expected === null) assert.equal(inv.get(id), null);
        else assert.equal(inv.get(id)!.status, expected);
      }
    });
  }
}

test('lifecycle: retire twice — the second is refused with a clear reason', () => {
  const { inv, add } = setup();
  const id = add();
  assert.equal(inv.retire([id]).succeeded, 1);
  const again = inv.retire([id]);
  assert.equal(again.results[0].error, `cannot retire device #${id}: it is already Retired`);
});

test('lifecycle: wiping a Retired device is refused and says to re-register it', () => {
  const { inv, add } = setup();
  const id = add('Retired');
  assert.match(inv.wipe([id]).results[0].error!, /Retired and no longer managed.*re-register/);
});

test('bulk: one transaction, a result per device in request order, unknown ids reported', () => {
  const { db, inv, add } = setup();
  const a = add();
  const b = add('Retired');
  const c = add('Reset');
  const res = inv.retire([c, 9999, a, b]);
  assert.deepEqual(res.results.map((r) => [r.id, r.ok]), [[c, true], [9999, false], [a, true], [b, false]]);
  assert.match(res.results[1].error!, /no device #9999/);
  assert.equal(res.succeeded, 2);
  assert.equal(res.failed, 2);
  assert.equal(inv.get(a)!.status, 'Retired');
  assert.equal(inv.get(c)!.status, 'Retired');
  const rows = auditRows(db).filter((r) => r.action === 'inventory.retire');
  assert.deepEqual(rows.slice(-4).map((r) => [r.target, r.outcome]), [
    [`inventory:${c}`, 'success'], ['inventory:9999', 'failure'], [`inventory:${a}`, 'success'], [`inventory:${b}`, 'failure'],
  ]);
});

test('bulk: bad id lists are input errors and change nothing (no audit row either)', () => {
  const { db, inv, add } = setup();
  const a = add();
  const before = auditRows(db).length;
  assert.throws(() => inv.retire([]), { name: 'InventoryInputError', field: 'ids' });
  assert.throws(() => inv.retire([a, a]), /listed twice/);
  assert.throws(() => inv.wipe([a, 1.5]), /not a positive whole number/);
  assert.throws(() => inv.act('explode' as LifecycleAction, [a]), { field: 'action' });
  assert.equal(inv.get(a)!.status, 'Active');
  assert.equal(auditRows(db).length, before);
});

test('bulk: a failure inside the transaction rolls every change back', () => {
  const { db, inv, add } = setup();
  const a = add();
  const b = add();
  // A trigger that fails the second status change simulates a disk/constraint error mid-batch.
  db.exec(`CREATE TEMP TRIGGER fail_second BEFORE UPDATE OF status ON inventory_devices WHEN old.id = ${b}
    BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`);
  const before = auditRows(db).length;
  assert.throws(() => inv.retire([a, b]), /simulated failure/);
  assert.equal(inv.get(a)!.status, 'Active', 'the first retire was rolled back');
  assert.equal(auditRows(db).length, before, 'no audit row survives the rollback');
  assert.equal(inventoryCount(db), 2);
});
