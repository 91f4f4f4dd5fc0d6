/**
 * Revive / restore orchestration: backend selection per host and device, and a full run through
 * small fake `idevicerestore` / `cfgutil` executables on PATH (shell scripts that print
 * captured-looking output) standing in for the external tools.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  discoverRestoreTools, parseCfgutilLine, parseIdevicerestoreLine, RestoreNotSupportedError, runRestores, selectRestoreBackend,
  type RestoreHost, type RestoreProgress, type RestoreTarget,
} from '../../main/restore';
import { listDeviceLogs } from '../../main/bench';
import { listAudit, openDatabase } from '../../main/store';
import { chipForCpid, formatEcidUdid } from '../../main/usb';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-restore-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes executable shell scripts into a fresh bin directory and returns that directory. */
function fakeBin(scripts: Record<string, string>): string {
  const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
  for (const [name, body] of Object.entries(scripts)) fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return bin;
}

const host = (platform: NodeJS.Platform, bin: string, extra: Record<string, string> = {}): RestoreHost => ({ platform, env: { PATH: `${bin}:/usr/bin:/bin`, ...extra } });
const target = (cpid: number, ecid: bigint, bdid?: number): RestoreTarget => ({ ecid, cpid, chip: chipForCpid(cpid, bdid), udid: formatEcidUdid(cpid, ecid) });

const IDR_OUTPUT = [
  "cat <<'OUT'",
  'idevicerestore 1.0.0-135-g405fcd1',
  'Found device in DFU mode',
  'Identified device as j274ap, Macmini9,1',
  'Extracting BuildManifest from IPSW',
  'Sending iBEC (1183744 bytes)...',
  'Waiting for device to enter restore mode...',
  'Connecting now...',
  'OUT',
  "printf '[====                ]  20.0%%\\r[==========          ]  50.0%%\\r[====================] 100.0%%\\n'",
  'echo "Status: Restore Finished"',
  'echo "DONE"',
].join('\n');

function idevicerestore(version: string, body = IDR_OUTPUT): string {
  return `if [ "$1" = "--version" ]; then echo "${version}"; exit 0; fi\necho "$@" > "$ARGS_FILE"\n${body}`;
}

test('backend selection: cfgutil on macOS, idevicerestore where it supports the device, otherwise a clear refusal with advice', async () => {
  const old = fakeBin({ idevicerestore: idevicerestore('idevicerestore 1.0.0') });
  const upstream = fakeBin({ idevicerestore: idevicerestore('idevicerestore 1.0.0-135-g405fcd1') });
  const mac = fakeBin({ cfgutil: 'echo "cfgutil 2.17"', idevicerestore: idevicerestore('idevicerestore 1.0.0') });
  const empty = fakeBin({});
  const m1Mac = target(0x8103, 0x1a2b3c4d5e6f70n, 0x22);
  const a14 = target(0x8101, 0x11n);
  const a17 = target(0x8130, 0x12n);

  const linuxOld = host('linux', old);
  const toolsOld = await discoverRestoreTools(linuxOld);
  assert.equal(toolsOld.cfgutil, null, 'cfgutil is macOS only');
  assert.equal(toolsOld.idevicerestore?.version, 'idevicerestore 1.0.0');
  assert.equal(selectRestoreBackend(toolsOld, a14, 'restore', linuxOld).name, 'idevicerestore');
  assert.throws(() => selectRestoreBackend(toolsOld, m1Mac, 'revive', linuxOld), (e: Error) => e instanceof RestoreNotSupportedError
    && /revive of M1 \(mac\) is not supported on this host: idevicerestore 1.0.0 predates Apple silicon Mac support/.test(e.message) && /Apple Configurator/.test(e.message));
  assert.throws(() => selectRestoreBackend(toolsOld, a17, 'restore', linuxOld), /does not know CPID 0x8130 \(A17 Pro\)/);

  const linuxNew = host('linux', upstream);
  assert.equal(selectRestoreBackend(await discoverRestoreTools(linuxNew), m1Mac, 'revive', linuxNew).name, 'idevicerestore');

  const macHost = host('darwin', mac);
  const macTools = await discoverRestoreTools(macHost);
  assert.equal(macTools.cfgutil?.version, 'cfgutil 2.17');
  assert.equal(selectRestoreBackend(macTools, m1Mac, 'revive', macHost).name, 'cfgutil');

  const none = host('linux', empty);
  assert.throws(() => selectRestoreBackend({ cfgutil: null, idevicerestore: null }, a14, 'restore', none), /neither cfgutil nor idevicerestore was found; install idevicerestore \(Debian\/Ubuntu: sudo apt-get install idevicerestore/);
  assert.deepEqual(await discoverRestoreTools(none), { cfgutil: null, idevicerestore: null });
  assert.throws(() => selectRestoreBackend({ cfgutil: null, idevicerestore: null }, a14, 'restore', host('darwin', empty)), /Install Automation Tools/);
});

test('output parsers read idevicerestore steps, its \\r progress bar, status, errors; cfgutil progress and JSON', () => {
  assert.deepEqual(parseIdevicerestoreLine('[==========          ]  50.0%'), { percent: 50 });
  assert.deepEqual(parseIdevicerestoreLine('Sending iBEC (1183744 bytes)...'), { phase: 'Sending iBEC' });
  assert.deepEqual(parseIdevicerestoreLine('Status: Restore Finished'), { phase: 'restore finished', percent: 100, done: true });
  assert.deepEqual(parseIdevicerestoreLine('ERROR: Unable to find device, is it plugged in?'), { error: 'Unable to find device, is it plugged in?' });
  assert.equal(parseIdevicerestoreLine('ECID: 1234'), null);
  assert.deepEqual(parseCfgutilLine('Restoring firmware: 42%'), { phase: 'Restoring firmware', percent: 42 });
  assert.deepEqual(parseCfgutilLine('{"Command":"restore","Type":"Error","Message":"The device is not in DFU mode.","Code":-402653030}'), { error: 'The device is not in DFU mode. (code -402653030)' });
  assert.deepEqual(parseCfgutilLine('{"Command":"revive","Type":"CommandOutput","Output":{}}'), { done: true, phase: 'finished', percent: 100 });
});

test('restore through idevicerestore: arguments, progress, per-device log and audit in the cache', async () => {
  const argsFile = path.join(dir, 'args.txt');
  const bin = fakeBin({ idevicerestore: idevicerestore('idevicerestore 1.0.0-135-g405fcd1') });
  const h = host('linux', bin, { ARGS_FILE: argsFile });
  const db = openDatabase(path.join(dir, `data-${crypto.randomUUID()}`));
  const progress: RestoreProgress[] = [];
  const t = target(0x8103, 0x1a2b3c4d5e6f70n, 0x22);
  const ipsw = path.join(dir, 'UniversalMac_14.5_23F79_Restore.ipsw');
  const s = await runRestores([t], 'restore', { host: h, ipsw, db, actor: 'test', onProgress: (p) => progress.push(p) });
  assert.equal(s.failed, 0, JSON.stringify(s.devices));
  assert.equal(fs.readFileSync(argsFile, 'utf8').trim(), `--ecid 0x001A2B3C4D5E6F70 --no-input --erase ${ipsw}`);
  assert.deepEqual(progress.filter((p) => p.percent !== null && p.phase === 'Connecting now').map((p) => p.percent), [20, 50, 100]);
  assert.ok(progress.some((p) => p.phase === 'Sending iBEC'));
  assert.equal(s.devices[0].percent, 100);
  assert.equal(s.devices[0].phase, 'done');
  assert.equal(s.devices[0].backend, 'idevicerestore');
  const logs = listDeviceLogs(db, { runId: s.runId! }).map((l) => l.message);
  assert.ok(logs.includes('Waiting for device to enter restore mode...'));
  assert.equal(listAudit(db, { actionPrefix: 'device.restore' })[0].outcome, 'success');

  const r = await runRestores([t], 'revive', { host: h });
  assert.equal(r.failed, 0);
  assert.equal(fs.readFileSync(argsFile, 'utf8').trim(), '--ecid 0x001A2B3C4D5E6F70 --no-input --latest', 'revive keeps data and fetches the latest firmware');
  db.close();
});

test('a failing tool and an unsupported device are reported per device', async () => {
  const bin = fakeBin({ idevicerestore: idevicerestore('idevicerestore 1.0.0', 'echo "ERROR: Unable to connect to device in DFU mode" >&2\nexit 255') });
  const h = host('linux', bin, { ARGS_FILE: path.join(dir, 'args2.txt') });
  const s = await runRestores([target(0x8101, 0x21n), target(0x8122, 0x22n)], 'restore', { host: h });
  assert.equal(s.failed, 2);
  assert.equal(s.devices[0].error, 'Unable to connect to device in DFU mode');
  assert.equal(s.devices[0].exitCode, 255);
  assert.match(s.devices[1].error!, /restore of M3 \(mac\) is not supported on this host/);
  assert.equal(s.devices[1].backend, null);
});

test('cfgutil on macOS: progress lines and the final JSON document', async () => {
  const argsFile = path.join(dir, 'cfg-args.txt');
  const bin = fakeBin({
    cfgutil: [
      'if [ "$1" = "version" ]; then echo "2.17"; exit 0; fi',
      'echo "$@" > "$ARGS_FILE"',
      'echo "Downloading firmware: 10%" >&2',
      'sleep 0.05',
      'echo "Restoring firmware: 55%" >&2',
      'echo "Restoring firmware: 100%" >&2',
      'sleep 0.05',
      `echo '{"Command":"revive","Type":"CommandOutput","Devices":["0x001A2B3C4D5E6F70"],"Output":{}}'`,
    ].join('\n'),
  });
  const h = host('darwin', bin, { ARGS_FILE: argsFile });
  const progress: RestoreProgress[] = [];
  const s = await runRestores([target(0x8112, 0x1a2b3c4d5e6f70n)], 'revive', { host: h, onProgress: (p) => progress.push(p) });
  assert.equal(s.failed, 0, JSON.stringify(s.devices));
  assert.equal(s.devices[0].backend, 'cfgutil');
  assert.equal(fs.readFileSync(argsFile, 'utf8').trim(), '--ecid 0x001A2B3C4D5E6F70 --format JSON --progress revive');
  assert.deepEqual(progress.map((p) => [p.phase, p.percent]), [['Downloading firmware', 10], ['Restoring firmware', 55], ['Restoring firmware', 100], ['finished', 100]]);
});
