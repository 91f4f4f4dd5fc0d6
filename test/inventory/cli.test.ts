import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { runStagebench, type CliRun } from '../cli/helpers';
import { imei, tmpDir, udid } from './helpers';

/** Runs the real `stagebench ...args` against `dataDir`, without a passphrase. */
function sb(args: string[], dataDir: string): Promise<CliRun> {
  return runStagebench(args, { STAGEBENCH_DATA_DIR: dataDir, STAGEBENCH_PASSPHRASE: undefined });
}

const IMEI = imei('35999912345678');

test('CLI: register, re-register (Android 10+ rules), list with filters, retire / wipe / delete, export, audit', async () => {
  const dir = tmpDir('sb-inventory-cli-');
  const reg = (extra: string[]) => sb(['devices-db', 'register', '--format', 'json', ...extra], dir);

  const ios = await reg(['--serial', 'F2LXK0AAHG7F', '--platform', 'iOS', '--os-version', '17.4', '--udid', udid(9), '--owner', 'alice@example.com', '--method', 'invitation', '--model', 'iPhone 15']);
  assert.equal(ios.code, 0, ios.stderr);
  const iosId = JSON.parse(ios.stdout).device.id as number;
  const a1 = await reg(['--serial', 'R58M00000001', '--platform', 'Android', '--os-version', '13', '--imei', IMEI, '--owner', 'bob@example.com', '--method', 'in-app']);
  assert.equal(a1.code, 0, a1.stderr);
  const a2 = await reg(['--serial', 'R58M00000001', '--platform', 'Android', '--os-version', '14', '--imei', IMEI, '--owner', 'bob@example.com', '--method', 'in-app']);
  const a2json = JSON.parse(a2.stdout);
  assert.equal(a2json.rule, 'added-latest');
  assert.deepEqual(a2json.retiredIds, [JSON.parse(a1.stdout).device.id]);

  const text = await sb(['devices-db', 'register', '--serial', 'F2LXK0AAHG7F', '--platform', 'iOS', '--os-version', '18.0', '--owner', 'alice@example.com', '--method', 'in-app'], dir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`Device #${iosId} re-registered \\(existing entry replaced\\)`));

  const list = await sb(['devices-db', 'list', '--platform', 'Android', '--sort', 'id', '--desc', '--format', 'json'], dir);
  assert.equal(list.code, 0, list.stderr);
  const page = JSON.parse(list.stdout);
  assert.equal(page.total, 2);
  assert.deepEqual(page.rows.map((d: { status: string }) => d.status), ['Active', 'Retired']);
  const search = await sb(['devices-db', 'list', '--search', 'alice@', '--format', 'json'], dir);
  assert.deepEqual(JSON.parse(search.stdout).rows.map((d: { id: number }) => d.id), [iosId]);
  const table = await sb(['devices-db', 'list', '--status', 'Active', '--limit', '1'], dir);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /^ID\s+PLATFORM\s+MODEL/);
  assert.match(table.stderr, /1-1 of 2/);

  const retire = await sb(['devices-db', 'retire', String(iosId)], dir);
  assert.equal(retire.code, 0, retire.stderr);
  assert.match(retire.stdout, new RegExp(`#${iosId}: Active → Retired`));
  const twice = await sb(['devices-db', 'retire', String(iosId), '--format', 'json'], dir);
  assert.equal(twice.code, 1, 'a refused action exits 1');
  assert.match(JSON.parse(twice.stdout).results[0].error, /already Retired/);
  const wipe = await sb(['devices-db', 'wipe', String(iosId)], dir);
  assert.equal(wipe.code, 1);
  assert.match(wipe.stdout, /refused: .*no longer managed/);
  const del = await sb(['devices-db', 'delete', String(iosId), String(a2json.device.id)], dir);
  assert.equal(del.code, 1, 'one of two refused');
  assert.match(del.stdout, /delete: 1 done, 1 refused/);

  const out = path.join(dir, 'devices.csv');
  const exp = await sb(['devices-db', 'export', '--out', out], dir);
  assert.equal(exp.code, 0, exp.stderr);
  assert.match(exp.stdout, /Wrote 2 devices/);
  const csv = parse(fs.readFileSync(out), { columns: true }) as Record<string, string>[];
  assert.deepEqual(csv.map((r) => [r.serial_number, r.status]), [['R58M00000001', 'Retired'], ['R58M00000001', 'Active']]);

  const audit = await sb(['audit', 'list', '--action', 'inventory.*', '--outcome', 'failure', '--format', 'json'], dir);
  assert.equal(audit.code, 0, audit.stderr);
  const arows = JSON.parse(audit.stdout).rows as { action: string; target: string; actor: string }[];
  assert.deepEqual(arows.map((r) => r.action), ['inventory.delete', 'inventory.wipe', 'inventory.retire']);
  assert.deepEqual(arows.map((r) => r.target), [`inventory:${a2json.device.id}`, `inventory:${iosId}`, `inventory:${iosId}`]);
  assert.ok(arows.every((r) => r.actor.startsWith('cli:')));
  const aout = path.join(dir, 'audit.csv');
  const aexp = await sb(['audit', 'export', '--out', aout, '--action', 'inventory.re-register'], dir);
  assert.equal(aexp.code, 0, aexp.stderr);
  const acsv = parse(fs.readFileSync(aout), { columns: true }) as Record<string, string>[];
  assert.equal(acsv.length, 2);
  assert.ok(acsv.every((r) => r.action === 'inventory.re-register' && r.outcome === 'success'));
});

test('CLI: invalid input exits 2 naming the option, and changes nothing', async () => {
  const dir = tmpDir('sb-inventory-cli-');
  const cases: [string[], RegExp][] = [
    [['devices-db', 'register', '--serial', 'X1234567', '--platform', 'Windows', '--os-version', '11', '--owner', 'a@example.com', '--method', 'invitation'], /--platform: platform "Windows" is not known/],
    [['devices-db', 'register', '--serial', 'X1234567', '--platform', 'tvOS', '--os-version', '18', '--method', 'in-app'], /--method: tvOS devices cannot register by in-app/],
    [['devices-db', 'register', '--serial', 'X1234567', '--platform', 'Android', '--os-version', '12', '--imei', '123', '--owner', 'a@example.com', '--method', 'in-app'], /--imei: IMEI "123" is not valid/],
    [['devices-db', 'register', '--serial', 'X1234567', '--platform', 'iOS', '--os-version', '17', '--method', 'invitation'], /--owner: invitation registration needs/],
    [['devices-db', 'register', '--platform', 'iOS', '--os-version', '17', '--method', 'ABM'], /--serial/],
    [['devices-db', 'list', '--sort', 'password'], /--sort: cannot sort by "password"/],
    [['devices-db', 'list', '--status', 'Lost'], /--status: status "Lost" is not known/],
    [['devices-db', 'list', '--limit', '0'], /--limit must be a whole number ≥ 1/],
    [['devices-db', 'list', '--limit', '5000'], /--limit: limit must be a whole number from 1 to 1000/],
    [['devices-db', 'retire', 'abc'], /ID: "abc" is not a device id/],
    [['devices-db', 'retire', '3', '3'], /ID: device id 3 is listed twice/],
    [['audit', 'list', '--outcome', 'meh'], /--outcome: outcome must be success or failure/],
    [['audit', 'list', '--since', 'last week'], /--since: since "last week" is not a time/],
    [['devices-db', 'export', '--out', path.join(dir, 'no-such-dir', 'x.csv')], /--out .*no-such-dir/],
  ];
  for (const [args, message] of cases) {
    const run = await sb(args, dir);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message, args.join(' '));
  }
  const list = await sb(['devices-db', 'list', '--format', 'json'], dir);
  assert.equal(JSON.parse(list.stdout).total, 0);
  const audit = await sb(['audit', 'list', '--format', 'json'], dir);
  assert.equal(JSON.parse(audit.stdout).total, 0, 'invalid input is not audited');
});
