import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInventoryService, isValidImei, type RegisterInput } from '../../main/inventory';
import { auditRows, freshDb, imei, inventoryCount, udid } from './helpers';

const IMEI_A = imei('35123456789012');
const android = (os: string, extra: Partial<RegisterInput> = {}): RegisterInput => ({
  platform: 'Android', osVersion: os, serialNumber: 'R58M12ABCDE', imei: IMEI_A, owner: 'bob@example.com', method: 'in-app', model: 'Pixel 8', ...extra,
});

test('IMEI check digit: Luhn', () => {
  assert.equal(isValidImei('490154203237518'), true);
  assert.equal(isValidImei('490154203237519'), false);
  assert.equal(isValidImei(IMEI_A), true);
  assert.equal(isValidImei('4901542032375'), false);
});

test('register: a new device becomes one Active entry, audited', () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test:alice');
  const res = inv.register({ platform: 'ios', osVersion: '17.4.1', serialNumber: 'F2LXK0AAHG7F', udid: udid(1).toLowerCase(), owner: 'alice@example.com', method: 'invitation', model: 'iPhone 15' });
  assert.equal(res.rule, 'new');
  assert.equal(res.reRegistered, false);
  assert.equal(res.device.platform, 'iOS');
  assert.equal(res.device.status, 'Active');
  assert.equal(res.device.udid, udid(1), 'UDID stored upper-case');
  assert.equal(res.device.registrationMethod, 'invitation');
  assert.equal(res.device.ownerEmail, 'alice@example.com');
  const [row] = auditRows(db);
  assert.equal(row.action, 'inventory.register');
  assert.equal(row.target, `inventory:${res.device.id}`);
  assert.match(row.detail, /F2LXK0AAHG7F.*by invitation, owner alice@example.com: new entry/);
});

test('re-register Android 10+: new latest Active entry, older Active/Reset entries Retired, Retired/Wiped kept', () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test:alice');
  const first = inv.register(android('12')).device.id;
  const second = inv.register(android('13', { serialNumber: null })); // same IMEI only
  assert.equal(second.rule, 'added-latest');
  assert.equal(second.reRegistered, true);
  assert.deepEqual(second.retiredIds, [first]);
  assert.equal(inv.get(first)!.status, 'Retired');
  inv.markReset([second.device.id]);
  const third = inv.register(android('14')); // serial matches the first entry, IMEI the second
  assert.deepEqual(third.retiredIds, [second.device.id], 'a Reset entry is retired too; the Retired one is untouched');
  const entries = inv.list({ platform: 'Android', sort: 'id' }).rows;
  assert.deepEqual(entries.map((e) => e.status), ['Retired', 'Retired', 'Active']);
  assert.equal(entries.filter((e) => e.status === 'Active').length, 1);
  inv.wipe([third.device.id]);
  const fourth = inv.register(android('14'));
  assert.deepEqual(fourth.retiredIds, [], 'a Wiped entry stays Wiped');
  assert.deepEqual(inv.list({ platform: 'Android', sort: 'id' }).rows.map((e) => e.status), ['Retired', 'Retired', 'Wiped', 'Active']);
  const actions = auditRows(db).map((r) => `${r.action} ${r.target}`);
  assert.ok(actions.includes(`inventory.re-register inventory:${second.device.id}`));
  assert.ok(actions.includes(`inventory.retire inventory:${first}`));
});

test('re-register Android 9 and earlier: a single entry, updated in place and Active again', () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test:alice');
  const first = inv.register(android('9', { owner: 'old@example.com' })).device;
  inv.retire([first.id]);
  const again = inv.register(android('9.0.1', { owner: 'new@example.com' }));
  assert.equal(again.rule, 'replaced');
  assert.equal(again.device.id, first.id, 'same entry');
  assert.equal(again.device.status, 'Active');
  assert.equal(again.device.ownerEmail, 'new@example.com');
  assert.equal(again.device.osVersion, '9.0.1');
  assert.equal(inventoryCount(db), 1);
});

test('re-register Android 9 after 10+ entries: merged into one entry, the extra ones removed and audited', () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test:alice');
  const a = inv.register(android('10')).device.id;
  const b = inv.register(android('11')).device.id;
  const res = inv.register(android('9'));
  assert.equal(res.device.id, b, 'the newest entry is kept');
  assert.deepEqual(res.removedIds, [a]);
  assert.equal(inventoryCount(db), 1);
  assert.ok(auditRows(db).some((r) => r.action === 'inventory.delete' && r.target === `inventory:${a}` && /single entry/.test(r.detail)));
});

test('re-register iOS: replaces the existing entry (no manual clearing), whatever its status', () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test:alice');
  const base = { platform: 'iOS', osVersion: '17.4', serialNumber: 'F2LXK0AAHG7F', owner: 'alice@example.com', method: 'invitation' };
  const first = inv.register(base).device;
  for (const status of ['Active', 'Retired', 'Wiped'] as const) {
    if (status === 'Retired') inv.retire([first.id]);
    if (status === 'Wiped') { inv.register(base); inv.wipe([first.id]); }
    const res = inv.register({ ...base, osVersion: '18.0', udid: udid(7), method: 'ABM' });
    assert.equal(res.rule, 'replaced');
    assert.equal(res.device.id, first.id);
    assert.equal(res.device.status, 'Active');
    assert.equal(res.device.registrationMethod, 'ABM');
    assert.equal(inventoryCount(db), 1);
  }
  // Found by UDID alone now; the serial is kept when not given again.
  const byUdid = inv.register({ platform: 'iOS', osVersion: '18.1', udid: udid(7), method: 'Configurator/bench' });
  assert.equal(byUdid.device.id, first.id);
  assert.equal(byUdid.device.serialNumber, 'F2LXK0AAHG7F');
  assert.equal(byUdid.device.ownerEmail, null, 'bench registration without owner');
});

test('register: an Android and an Apple device never match each other', () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test:alice');
  inv.register(android('12', { serialNumber: 'SAMESERIAL1', imei: null }));
  const apple = inv.register({ platform: 'macOS', osVersion: '15.1', serialNumber: 'SAMESERIAL1', method: 'ABM' });
  assert.equal(apple.rule, 'new');
  assert.equal(inventoryCount(db), 2);
});

test('register: bad input is refused naming the field, and nothing is written', () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test:alice');
  const ok = { platform: 'iOS', osVersion: '17.4', serialNumber: 'F2LXK0AAHG7F', owner: 'alice@example.com', method: 'invitation' };
  const cases: [Partial<RegisterInput>, string, RegExp][] = [
    [{ platform: 'Windows' }, 'platform', /not known; use one of: iOS, iPadOS/],
    [{ method: 'email' }, 'method', /not known/],
    [{ osVersion: 'seventeen' }, 'osVersion', /not a version number/],
    [{ platform: 'tvOS', method: 'invitation' }, 'method', /tvOS devices cannot register by invitation; use ABM or Configurator\/bench/],
    [{ platform: 'Android', method: 'ABM', serialNumber: 'R58M1' }, 'method', /Android devices cannot register by ABM/],
    [{ platform: 'Android', osVersion: '5.1', serialNumber: 'R58M1' }, 'osVersion', /Android 6 or later/],
    [{ platform: 'Android', udid: udid(1), serialNumber: 'R58M1' }, 'udid', /no UDID/],
    [{ udid: 'xyz' }, 'udid', /40 hex digits/],
    [{ imei: '490154203237519' }, 'imei', /Luhn/],
    [{ platform: 'macOS', imei: IMEI_A }, 'imei', /macOS devices have no IMEI/],
    [{ serialNumber: null }, 'serialNumber', /need a serial number or UDID/],
    [{ serialNumber: 'bad serial!' }, 'serialNumber', /not valid/],
    [{ owner: null }, 'owner', /invitation registration needs the owner/],
    [{ owner: 'alice@' }, 'owner', /not an email/],
    [{ owner: 'u-123' }, 'owner', /not an email address|no registration user has id/],
  ];
  for (const [patch, field, message] of cases) {
    assert.throws(() => inv.register({ ...ok, ...patch } as RegisterInput), (err: Error & { field?: string }) => {
      assert.equal(err.name, 'InventoryInputError', JSON.stringify(patch));
      assert.equal(err.field, field, JSON.stringify(patch));
      assert.match(err.message, message);
      return true;
    });
  }
  assert.equal(inventoryCount(db), 0);
  assert.equal(auditRows(db).length, 0);
});

test('register: owner resolves to a registration user id when the users table exists', () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test:alice');
  // registration_users comes from migration 4 (main/registration); create a minimal one if it is absent.
  db.exec(`CREATE TABLE IF NOT EXISTS registration_users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, source TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`);
  const userId = 'user-7';
  const now = new Date().toISOString();
  db.prepare("INSERT INTO registration_users (id, email, source, created_at, updated_at) VALUES (?, 'carol@example.com', 'local', ?, ?)").run(userId, now, now);
  const byEmail = inv.register({ platform: 'iOS', osVersion: '17.4', serialNumber: 'AAAA1111', owner: 'Carol@Example.com', method: 'in-app' });
  assert.equal(byEmail.device.ownerUserId, userId);
  const byId = inv.register({ platform: 'iOS', osVersion: '17.4', serialNumber: 'AAAA2222', owner: userId, method: 'in-app' });
  assert.equal(byId.device.ownerEmail, 'carol@example.com');
  assert.throws(() => inv.register({ platform: 'iOS', osVersion: '17.4', serialNumber: 'AAAA3333', owner: 'nobody-id', method: 'in-app' }), /no registration user has id "nobody-id"/);
  assert.equal(inv.list({ owner: userId }).total, 2);
});
