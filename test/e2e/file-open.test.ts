/**
 * The `.mobileconfig` file association: a file the OS opens with StageBench (command-line argument
 * or macOS open-file) is read by main (`readOpenedFile`), sent as the `file:opened` event, and
 * lands in the same inspect / verify / install dialog as a drop. Also the argv filter and the
 * refusal of unreadable or oversized files.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_OPENED_FILE_BYTES, openablePathsFromArgv, readOpenedFile } from '../../main/ipc/opened-files';
import { startBench, type BenchFixture } from './bench-fixture';

let bench: BenchFixture;
let signedPath: string;

before(async () => {
  bench = await startBench({ emulator: { devices: 1, kinds: ['iphone'] } });
  const { services, pki } = bench;
  const identity = services.identities.importPkcs12(fs.readFileSync(pki.p12Path), pki.p12Password, 'File-open signer');
  const built = services.profiles.build({
    name: 'Opened from Finder',
    identifier: 'com.example.e2e.opened',
    os: 'ios',
    serverUrl: 'https://mdm.example.com/mdm',
    topic: 'com.apple.mgmt.External.e2e-opened',
    scep: { url: 'https://mdm.example.com/scep', keysize: 2048, challenge: 'c' },
  });
  assert.ok(built.profile, JSON.stringify(built.issues));
  const signed = services.profiles.sign(built.profile.id, identity.id);
  const exported = services.profiles.export(signed.id);
  signedPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-open-')), exported.fileName);
  fs.writeFileSync(signedPath, exported.bytes);
});

after(async () => {
  await bench?.close();
});

test('argv: only .mobileconfig paths are taken, flags and other files are ignored', () => {
  assert.deepEqual(openablePathsFromArgv(['--inspect', '/tmp/a.mobileconfig', 'notes.txt', 'C:\\Profiles\\B.MOBILECONFIG']), ['/tmp/a.mobileconfig', 'C:\\Profiles\\B.MOBILECONFIG']);
  assert.throws(() => readOpenedFile('/no/such/file.mobileconfig'), /file\.mobileconfig cannot be opened: no such file/);
  const big = path.join(path.dirname(signedPath), 'big.mobileconfig');
  fs.writeFileSync(big, Buffer.alloc(MAX_OPENED_FILE_BYTES + 1));
  assert.throws(() => readOpenedFile(big), /at most/);
});

test('an opened .mobileconfig arrives as file:opened and opens the verify / install dialog', async () => {
  const { page } = bench.harness;
  await page.getByTestId('device-count').filter({ hasText: '1 device' }).waitFor();
  await bench.harness.emit('file:opened', readOpenedFile(signedPath));
  const dialog = page.getByTestId('mobileconfig-dialog');
  await dialog.waitFor();
  await page.getByTestId('mobileconfig-verdict').filter({ hasText: 'Signed, and the signature verifies' }).waitFor();
  assert.match((await dialog.textContent()) ?? '', /com\.example\.e2e\.opened/);
  await page.getByRole('dialog').getByRole('button', { name: 'Install on device' }).click();
  await page.getByTestId('toast').filter({ hasText: /installed on/ }).waitFor();
  assert.ok(bench.emulator.devices[0].profiles.some((p) => p.PayloadIdentifier === 'com.example.e2e.opened'));
});
