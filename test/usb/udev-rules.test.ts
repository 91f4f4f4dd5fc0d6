/**
 * The shipped udev rules grant access (MODE 0660, GROUP plugdev, TAG+="uaccess") to every Apple
 * product ID StageBench detects — normal (usbmuxd range), DFU, recovery, restore — and to
 * nothing else. Patterns are evaluated with udev's glob syntax (`*`, `?`, `[…]`, `|`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DFU_PRODUCT_IDS, NORMAL_PRODUCT_RANGE, RECOVERY_PRODUCT_IDS, RESTORE_PRODUCT_IDS, T2_BRIDGE_PRODUCT_ID } from '../../main/usb';

const RULES = fs.readFileSync(path.resolve(import.meta.dirname, '../../resources/udev/70-stagebench-apple.rules'), 'utf8');

function globToRegExp(glob: string): RegExp {
  const alt = glob.split('|').map((g) => g.replace(/[.+^${}()\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.'));
  return new RegExp(`^(?:${alt.join('|')})$`);
}

interface Rule {
  product: RegExp;
  assigns: string;
}

const rules: Rule[] = RULES.split('\n')
  .filter((l) => l.startsWith('ATTR{idProduct}=='))
  .map((l) => ({ product: globToRegExp(/ATTR\{idProduct\}=="([^"]+)"/.exec(l)![1]), assigns: l }));

function access(pid: number): Rule | undefined {
  return rules.find((r) => r.product.test(pid.toString(16).padStart(4, '0')));
}

test('every Apple mode product ID gets MODE 0660, GROUP plugdev and TAG+="uaccess"', () => {
  assert.match(RULES, /ATTR\{idVendor\}!="05ac", GOTO="stagebench_apple_end"/);
  assert.match(RULES, /SUBSYSTEM!="usb", GOTO/);
  const pids = [...DFU_PRODUCT_IDS, ...RECOVERY_PRODUCT_IDS, ...RESTORE_PRODUCT_IDS].map((p) => p.productId);
  for (let p = NORMAL_PRODUCT_RANGE.low; p <= NORMAL_PRODUCT_RANGE.high; p++) pids.push(p);
  pids.push(T2_BRIDGE_PRODUCT_ID);
  for (const pid of pids) {
    const r = access(pid);
    assert.ok(r, `0x${pid.toString(16)} is not matched`);
    assert.match(r.assigns, /MODE="0660", GROUP="plugdev", TAG\+="uaccess"/);
  }
  assert.match(access(0xf014)!.assigns, /STAGEBENCH_APPLE_MODE}="dfu"/);
  assert.match(access(0x1905)!.assigns, /STAGEBENCH_APPLE_MODE}="restore"/);
});

test('other product IDs are left alone', () => {
  for (const pid of [0x1284, 0x128f, 0x12b0, 0x1900, 0x1906, 0x0220, 0x8601]) assert.equal(access(pid), undefined, `0x${pid.toString(16)} should not match`);
});
