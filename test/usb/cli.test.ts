/**
 * `stagebench dfu list`, `revive`, `restore`: through the CLI on this host (no USB subsystem: the
 * commands report it instead of crashing; restore by ECID still runs the tool), and `dfu list`
 * output (table, JSON, --watch lines) over a USB stack stand-in.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDfuList } from '../../main/cli/commands/dfu';
import { AppleDfuDetector, type UsbBackend, type UsbDeviceDescriptor } from '../../main/usb';
import { runStagebench } from '../cli/helpers';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-cli-dfu-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('dfu list reports that USB access is unavailable (exit 1), revive --all too', async () => {
  const env = { STAGEBENCH_DATA_DIR: path.join(dir, 'd1') };
  for (const args of [['dfu', 'list'], ['dfu', 'list', '--format', 'json'], ['revive', '--all']]) {
    const r = await runStagebench(args, env);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^stagebench: USB access unavailable: .*\/sys\/bus\/usb/m);
  }
  const usage = await runStagebench(['restore'], env);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--ecid ECID \(repeatable\) or --all/);
  const badEcid = await runStagebench(['restore', '--ecid', 'zz'], env);
  assert.equal(badEcid.code, 2);
  assert.match(badEcid.stderr, /--ecid: "zz" is not an ECID/);
});

test('restore --ecid runs idevicerestore from PATH with progress and a JSON summary; no tool → not supported', async () => {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'idevicerestore'), [
    '#!/bin/sh',
    'if [ "$1" = "--version" ]; then echo "idevicerestore 1.0.0"; exit 0; fi',
    'echo "$@" > "$ARGS_FILE"',
    'echo "Found device in DFU mode"',
    'echo "Sending iBSS (655360 bytes)..."',
    "printf '[==========          ]  50.0%%\\r[====================] 100.0%%\\n'",
    'echo "Status: Restore Finished"',
    'echo "DONE"',
  ].join('\n'), { mode: 0o755 });
  const ipsw = path.join(dir, 'iPhone_Restore.ipsw');
  fs.writeFileSync(ipsw, 'not really firmware');
  const env = { STAGEBENCH_DATA_DIR: path.join(dir, 'd2'), PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`, ARGS_FILE: path.join(dir, 'args') };
  const r = await runStagebench(['restore', '--ecid', '0x1A2B3C4D5E6F70', '--ipsw', ipsw, '--format', 'json'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: USB access unavailable: .*continuing with the ECIDs given/);
  assert.match(r.stderr, /0x001A2B3C4D5E6F70 100% /);
  const s = JSON.parse(r.stdout) as { operation: string; succeeded: number; devices: { backend: string; phase: string }[] };
  assert.equal(s.operation, 'restore');
  assert.equal(s.succeeded, 1);
  assert.equal(s.devices[0].backend, 'idevicerestore');
  assert.equal(fs.readFileSync(env.ARGS_FILE, 'utf8').trim(), `--ecid 0x001A2B3C4D5E6F70 --no-input --erase ${ipsw}`);

  const none = await runStagebench(['revive', '--ecid', '0x1A2B3C4D5E6F70'], { ...env, PATH: `${path.dirname(process.execPath)}:/nonexistent` });
  assert.equal(none.code, 1);
  assert.match(none.stdout, /FAILED 0x001A2B3C4D5E6F70: revive of this device is not supported on this host: neither cfgutil nor idevicerestore was found/);
  assert.equal((await runStagebench(['restore', '--ecid', '0x1', '--ipsw', path.join(dir, 'missing.ipsw')], env)).code, 2);
});

test('dfu list output: table, JSON, and --watch lines over a USB stack stand-in', async () => {
  const attached: UsbDeviceDescriptor[] = [{ id: 'a', vendorId: 0x05ac, productId: 0x1227, serialNumber: 'CPID:8103 CPRV:11 CPFM:03 SCEP:01 BDID:22 ECID:001A2B3C4D5E6F70 IBFL:3C SRTG:[iBoot-6723.0.0.0.1]', bus: '3', ports: [1] }];
  let connect: (d: UsbDeviceDescriptor) => void = () => {};
  const stack: UsbBackend = {
    list: async () => attached,
    watch: async (c) => {
      connect = c;
      return () => {};
    },
  };
  let out = '';
  await runDfuList(new AppleDfuDetector(stack), { format: 'text' }, (s) => (out += s));
  assert.match(out, /^MODE\s+PID\s+CHIP\s+ECID\s+UDID\s+SERIAL\s+LOCATION$/m);
  assert.match(out, /DFU\s+0x1227\s+M1\s+0x001A2B3C4D5E6F70\s+00008103-001A2B3C4D5E6F70\s+-\s+3-1/);
  out = '';
  await runDfuList(new AppleDfuDetector(stack), { format: 'json' }, (s) => (out += s));
  const rows = JSON.parse(out) as { chip: string; macModel: string; secure: boolean; udid: string }[];
  assert.deepEqual([rows[0].chip, rows[0].macModel, rows[0].secure, rows[0].udid], ['M1', 'Macmini9,1', true, '00008103-001A2B3C4D5E6F70']);
  out = '';
  let finish!: () => void;
  const until = new Promise<void>((r) => (finish = r));
  const watching = runDfuList(new AppleDfuDetector(stack), { format: 'json', watch: true, until }, (s) => (out += s));
  await new Promise((r) => setTimeout(r, 20));
  connect({ id: 'b', vendorId: 0x05ac, productId: 0x1281, serialNumber: 'sdom:01_cpid:8132_cprv:11_cpfm:03_scep:01_bdid:0a_ecid:000239da3ab9001c_ibfl:3d_sika:00_srnm:[l3412n76qj]' });
  finish();
  await watching;
  const events = out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; device: { chip: string; serialNumber: string | null } });
  assert.deepEqual(events.map((e) => [e.event, e.device.chip, e.device.serialNumber]), [['present', 'M1', null], ['connect', 'M4', 'L3412N76QJ']]);
});
