/**
 * DFU / recovery / restore detection: the iSerialNumber parser on the real examples of
 * ../shared/reference/device-protocols.md §5.2, the CPID table, product-ID classification, the
 * detector over a USB backend that emits device descriptors (a stand-in for the OS USB stack),
 * and the real `usb`-package backend on this host, which has no USB subsystem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import {
  AppleDfuDetector, chipForCpid, classifyProductId, nodeUsbBackend, parseEcid, parseSerialDescriptor, SerialDescriptorError, UsbUnavailableError,
  type AppleUsbChange, type UsbBackend, type UsbDeviceDescriptor,
} from '../../main/usb';

const WIN_DFU = 'cpid:8000_cprv:20_cpfm:03_scep:01_bdid:04_ecid:000004f7f2c71227_ibfl:1c_srtg:[iboot-2234.0.0.3.3]';
const WIN_RECOVERY = 'sdom:01_cpid:8132_cprv:11_cpfm:03_scep:01_bdid:0a_ecid:000239da3ab9001c_ibfl:3d_sika:00_srnm:[l3412n76qj]';
const T2_DFU = 'CPID:8012 CPRV:10 CPFM:03 SCEP:01 BDID:3F ECID:001C2D3E4F506172 IBFL:3C SRTG:[iBoot-3401.0.0.1.16]';

test('parses the Windows-style DFU descriptor (lower case, underscores)', () => {
  const id = parseSerialDescriptor(WIN_DFU);
  assert.equal(id.cpid, 0x8000);
  assert.equal(id.cprv, 0x20);
  assert.equal(id.cpfm, 0x03);
  assert.equal(id.secure, true);
  assert.equal(id.production, true);
  assert.equal(id.scep, 1);
  assert.equal(id.bdid, 0x04);
  assert.equal(id.ecid, 0x4f7f2c71227n);
  assert.equal(id.ibfl, 0x1c);
  assert.equal(id.srtg, 'iboot-2234.0.0.3.3');
  assert.equal(id.chip?.name, 'A9 (Samsung)');
  assert.equal(id.ecidHex, '0x000004F7F2C71227');
  assert.equal(id.udid, '00008000-000004F7F2C71227');
});

test('parses the recovery descriptor of an M4 with SDOM, SIKA and the serial number', () => {
  const id = parseSerialDescriptor(WIN_RECOVERY);
  assert.equal(id.sdom, 1);
  assert.equal(id.cpid, 0x8132);
  assert.equal(id.chip?.name, 'M4');
  assert.equal(id.chip?.family, 'mac');
  assert.equal(id.bdid, 0x0a);
  assert.equal(id.ibfl, 0x3d);
  assert.equal(id.sika, 0);
  assert.equal(id.srnm, 'L3412N76QJ');
  assert.equal(id.udid, '00008132-000239DA3AB9001C');
});

test('parses the T2 Mac DFU form (upper case, spaces) and keeps every tag', () => {
  const id = parseSerialDescriptor(T2_DFU);
  assert.equal(id.chip?.name, 'T2');
  assert.equal(id.chip?.family, 't2');
  assert.equal(id.bdid, 0x3f);
  assert.equal(id.srtg, 'iBoot-3401.0.0.1.16');
  assert.deepEqual(Object.keys(id.tags), ['CPID', 'CPRV', 'CPFM', 'SCEP', 'BDID', 'ECID', 'IBFL', 'SRTG']);
  assert.equal(id.udid, '00008012-001C2D3E4F506172');
  assert.throws(() => parseSerialDescriptor('iPhone'), SerialDescriptorError);
});

test('chip table: Apple silicon families, M1 Mac boards vs M1 iPads, unknown CPIDs', () => {
  assert.equal(chipForCpid(0x8103, 0x22)?.family, 'mac');
  assert.equal(chipForCpid(0x8103, 0x08)?.family, 'iphone-ipad', 'M1 iPad board');
  assert.equal(parseSerialDescriptor('CPID:8103 BDID:22 ECID:0000000000000001').macModel, 'Macmini9,1');
  for (const [cpid, name] of [[0x8112, 'M2'], [0x8122, 'M3'], [0x6000, 'M1 Pro'], [0x6001, 'M1 Max'], [0x6002, 'M1 Ultra'], [0x6022, 'M2 Ultra'], [0x8120, 'A16'], [0x7000, 'A8 (Apple TV HD)']] as const) {
    assert.equal(chipForCpid(cpid)?.name, name);
  }
  assert.equal(chipForCpid(0x1234), null);
});

test('product IDs: DFU, recovery, restore, normal', () => {
  for (const pid of [0x1227, 0x1222, 0x1881, 0xf014]) assert.equal(classifyProductId(pid)?.mode, 'dfu');
  for (const pid of [0x1280, 0x1281, 0x1282, 0x1283]) assert.equal(classifyProductId(pid)?.mode, 'recovery');
  for (const pid of [0x1901, 0x1905]) assert.equal(classifyProductId(pid)?.mode, 'restore');
  assert.equal(classifyProductId(0x12a8)?.mode, 'normal');
  assert.equal(classifyProductId(0x1284), null);
  assert.equal(parseEcid('0x000239DA3AB9001C'), 0x239da3ab9001cn);
  assert.equal(parseEcid('000239da3ab9001c'), 0x239da3ab9001cn);
  assert.equal(parseEcid('1234567'), 1234567n);
  assert.throws(() => parseEcid('0xZZ'), RangeError);
});

/** A USB stack stand-in: holds attached descriptors and emits connect/disconnect. */
class StackDouble extends EventEmitter implements UsbBackend {
  readonly attached = new Map<string, UsbDeviceDescriptor>();
  plug(d: UsbDeviceDescriptor): void {
    this.attached.set(d.id, d);
    this.emit('connect', d);
  }
  unplug(id: string): void {
    const d = this.attached.get(id)!;
    this.attached.delete(id);
    this.emit('disconnect', { ...d, serialNumber: null });
  }
  async list(): Promise<UsbDeviceDescriptor[]> {
    return [...this.attached.values()];
  }
  async watch(onConnect: (d: UsbDeviceDescriptor) => void, onDisconnect: (d: UsbDeviceDescriptor) => void): Promise<() => void> {
    this.on('connect', onConnect);
    this.on('disconnect', onDisconnect);
    return () => {
      this.off('connect', onConnect);
      this.off('disconnect', onDisconnect);
    };
  }
}

test('the detector lists Apple DFU/recovery/restore devices only and reports hotplug with decoded identities', async () => {
  const stack = new StackDouble();
  stack.plug({ id: '1', vendorId: 0x05ac, productId: 0x12a8, serialNumber: '00008120-001A2B3C4D5E6F70', bus: '1', ports: [1] });
  stack.plug({ id: '2', vendorId: 0x046d, productId: 0x1227, serialNumber: WIN_DFU, bus: '1', ports: [2] });
  stack.plug({ id: '3', vendorId: 0x05ac, productId: 0x1281, serialNumber: WIN_RECOVERY, bus: '3', ports: [1, 4] });
  const detector = new AppleDfuDetector(stack);
  const listed = await detector.list();
  assert.deepEqual(listed.map((d) => [d.mode, d.chip, d.ecid, d.serialNumber, d.location]), [['recovery', 'M4', '0x000239DA3AB9001C', 'L3412N76QJ', '3-1.4']]);

  const changes: AppleUsbChange[] = [];
  const stop = await detector.watch((c) => changes.push(c));
  stack.plug({ id: '4', vendorId: 0x05ac, productId: 0x1227, serialNumber: T2_DFU, bus: '2', ports: [1] });
  stack.plug({ id: '5', vendorId: 0x05ac, productId: 0x1227, serialNumber: null, bus: '2', ports: [2] });
  stack.unplug('4');
  stack.unplug('3');
  stack.unplug('1');
  stop();
  stack.plug({ id: '6', vendorId: 0x05ac, productId: 0x1227, serialNumber: T2_DFU });
  assert.deepEqual(changes.map((c) => [c.type, c.device.id, c.device.mode, c.device.chip]), [
    ['connect', '4', 'dfu', 'T2'],
    ['connect', '5', 'dfu', null],
    ['disconnect', '4', 'dfu', 'T2'],
    ['disconnect', '3', 'recovery', 'M4'],
  ]);
  assert.equal(changes[2].device.udid, '00008012-001C2D3E4F506172', 'a disconnect carries the identity seen at connect');
});

test('the real usb backend reports a missing USB subsystem instead of crashing', async () => {
  const backend = nodeUsbBackend();
  await assert.rejects(backend.list(), (err: Error) => err instanceof UsbUnavailableError && /^USB access unavailable: .*\/sys\/bus\/usb/.test(err.message));
  await assert.rejects(backend.watch(() => {}, () => {}), UsbUnavailableError);
  const broken = nodeUsbBackend(async () => {
    throw new Error('Cannot find module @node-usb/usb-linux-x64-gnu');
  });
  await assert.rejects(new AppleDfuDetector(broken).list(), /USB access unavailable: the usb module cannot be loaded \(Cannot find module/);
  await new Promise((r) => setTimeout(r, 50)); // nothing thrown later from a timer
});
