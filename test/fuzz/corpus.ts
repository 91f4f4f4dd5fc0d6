/**
 * Seed corpus for the wire fuzz tests, captured from the device emulator over real sockets:
 * usbmuxd replies and events (ListDevices, Listen + Attached/Detached, ReadBUID, ReadPairRecord
 * with a real pair record, Result errors), lockdownd replies on a raw usbmux Connect (QueryType,
 * GetValue, StartSession, StartService/Pair errors), plus MCInstall replies produced by the
 * emulator's reply builders (GetProfileList, Acknowledged, ErrorChain, special statuses,
 * CloudConfiguration). Every plist body is also kept re-encoded as a binary plist.
 */
import net from 'node:net';
import { pairDevice } from '../../main/apple/device';
import {
  decodePlist,
  encodeBinaryPlist,
  encodePlistFrame,
  encodeUsbmuxPlist,
  SocketReader,
  type PlistDict,
} from '../../main/apple/wire';
import { startEmulator } from '../support/emulator';
import { profileListReply } from '../support/emulator/mcinstall-service';

/** Captured seeds: whole usbmux packets (header + body), whole 4-byte frames, and plist bodies. */
export interface Corpus {
  usbmuxPackets: Buffer[];
  plistFrames: Buffer[];
  /** XML and binary plist bodies (the payloads of the above, binary re-encodings, pair records). */
  plists: Buffer[];
  /** Decoded pair-record bytes as usbmuxd hands them back. */
  pairRecords: Buffer[];
  /** MCInstall reply frames. */
  mcinstallFrames: Buffer[];
  /** Lockdown reply frames. */
  lockdownFrames: Buffer[];
}

const swap16 = (p: number): number => ((p & 0xff) << 8) | (p >> 8);

async function openRaw(address: string): Promise<{ socket: net.Socket; reader: SocketReader }> {
  const [host, port] = address.split(':');
  const socket = net.connect(Number(port), host);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, reader: new SocketReader(socket, 'capture') };
}

async function readRawUsbmux(reader: SocketReader): Promise<Buffer> {
  const header = await reader.read(16, 5000);
  const body = await reader.read(header.readUInt32LE(0) - 16, 5000);
  return Buffer.concat([header, body]);
}

async function readRawFrame(reader: SocketReader): Promise<Buffer> {
  const prefix = await reader.read(4, 5000);
  const body = await reader.read(prefix.readUInt32BE(0), 5000);
  return Buffer.concat([prefix, body]);
}

const envelope = (type: string, extra: PlistDict = {}): PlistDict => ({ ClientVersionString: 'fuzz', MessageType: type, ProgName: 'fuzz', kLibUSBMuxVersion: 3, ...extra });

/** Captures the corpus from a fresh emulator with two devices (one paired). Takes < 2 s. */
export async function captureCorpus(): Promise<Corpus> {
  const emu = await startEmulator({ devices: 2, seed: 'fuzz-corpus', kinds: ['iphone', 'ipad'] });
  const usbmuxPackets: Buffer[] = [];
  const lockdownFrames: Buffer[] = [];
  const pairRecords: Buffer[] = [];
  try {
    const [dev0, dev1] = emu.devices;
    await pairDevice(dev0.udid, { socketAddress: emu.address });
    pairRecords.push(...emu.pairRecords.values());

    let tag = 1;
    const ask = async (type: string, extra: PlistDict = {}): Promise<Buffer> => {
      const { socket, reader } = await openRaw(emu.address);
      socket.write(encodeUsbmuxPlist(envelope(type, extra), tag++));
      const pkt = await readRawUsbmux(reader);
      socket.destroy();
      return pkt;
    };
    usbmuxPackets.push(await ask('ListDevices'));
    usbmuxPackets.push(await ask('ReadBUID'));
    usbmuxPackets.push(await ask('ReadPairRecord', { PairRecordID: dev0.udid }));
    usbmuxPackets.push(await ask('ReadPairRecord', { PairRecordID: 'no-such-udid' }));
    usbmuxPackets.push(await ask('Connect', { DeviceID: 9999, PortNumber: swap16(62078) }));
    usbmuxPackets.push(await ask("Bogus").catch(() => Buffer.alloc(0)));

    // Listen: Result, then one Attached per device, then hot-plug events.
    const listen = await openRaw(emu.address);
    listen.socket.write(encodeUsbmuxPlist(envelope('Listen'), tag++));
    for (let i = 0; i < 3; i++) usbmuxPackets.push(await readRawUsbmux(listen.reader));
    emu.detach(dev1.udid);
    usbmuxPackets.push(await readRawUsbmux(listen.reader));
    emu.attach(dev1.udid);
    usbmuxPackets.push(await readRawUsbmux(listen.reader));
    listen.socket.destroy();

    // lockdownd through a raw Connect: replies as the device writes them.
    const { socket, reader } = await openRaw(emu.address);
    socket.write(encodeUsbmuxPlist(envelope('Connect', { DeviceID: dev0.deviceId, PortNumber: swap16(62078) }), tag++));
    usbmuxPackets.push(await readRawUsbmux(reader));
    const lockdown = async (body: PlistDict, binary = false): Promise<void> => {
      socket.write(encodePlistFrame({ Label: 'fuzz', ...body }, binary));
      lockdownFrames.push(await readRawFrame(reader));
    };
    await lockdown({ Request: 'QueryType' });
    await lockdown({ Request: 'GetValue' });
    await lockdown({ Request: 'GetValue', Key: 'ProductVersion' }, true);
    await lockdown({ Request: 'GetValue', Key: 'DevicePublicKey' });
    await lockdown({ Request: 'StartService', Service: 'com.apple.mobile.MCInstall' });
    await lockdown({ Request: 'StartSession', HostID: 'NOT-A-HOST', SystemBUID: emu.systemBUID });
    await lockdown({ Request: 'Pair', PairRecord: { HostID: 'X' }, ProtocolVersion: '2' });
    const record = decodePlist(pairRecords[0]) as PlistDict;
    await lockdown({ Request: 'StartSession', HostID: record.HostID, SystemBUID: record.SystemBUID });
    socket.destroy();

    // MCInstall replies from the emulator's own reply builders.
    dev0.profiles.push({
      PayloadIdentifier: 'com.acme.enroll', PayloadUUID: '6F1B6A8E-0D55-4F4F-9C8B-2E4C1C1C9A11', PayloadVersion: 1, PayloadDisplayName: 'Acme Enrollment',
      PayloadDescription: 'MDM', PayloadRemovalDisallowed: false, payloadTypes: ['com.apple.mdm'], signed: true, profile: {}, raw: Buffer.alloc(0), installedAt: 0,
    });
    const mcReplies: PlistDict[] = [
      profileListReply(dev0),
      { Status: 'Acknowledged' },
      { Status: 'Error', ErrorChain: [{ ErrorDomain: 'MCInstallationErrorDomain', ErrorCode: 4001, LocalizedDescription: 'Profile Installation Failed', USEnglishDescription: 'Profile Installation Failed' }, { ErrorDomain: 'MCProfileErrorDomain', ErrorCode: 1009, LocalizedDescription: 'The profile is not valid.' }] },
      { Status: 'CommandFormatError' },
      { Status: 'Acknowledged', CloudConfiguration: { AllowPairing: true, IsSupervised: true, OrganizationName: 'Acme', SkipSetup: ['Location', 'Siri'] } },
    ];
    const mcinstallFrames = mcReplies.flatMap((r) => [encodePlistFrame(r), encodePlistFrame(r, true)]);

    const plistFrames = [...lockdownFrames, ...mcinstallFrames];
    const xmlBodies = [...usbmuxPackets.map((p) => p.subarray(16)), ...plistFrames.map((f) => f.subarray(4)), ...pairRecords];
    const binaryBodies = xmlBodies.map((b) => encodeBinaryPlist(decodePlist(b)));
    return { usbmuxPackets, plistFrames, plists: [...xmlBodies, ...binaryBodies], pairRecords, mcinstallFrames, lockdownFrames };
  } finally {
    await emu.close();
  }
}
