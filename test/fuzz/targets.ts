/**
 * Fuzz targets: each feeds one input to a StageBench parser the way the device transport does
 * and returns how it ended — `ok`, or the name of the error thrown. The caller decides which error
 * names are acceptable (our typed errors) and treats anything else as a crash.
 */
import { Duplex, PassThrough } from 'node:stream';
import { LockdownClient, parsePairRecord } from '../../main/apple/lockdown';
import { parseErrorChain, parseProfileList, MCInstallClient } from '../../main/apple/mcinstall';
import type { UsbmuxClient, UsbmuxDevice } from '../../main/apple/usbmux';
import { resultNumber } from '../../main/apple/usbmux/client';
import { parseAttached, parseUsbmuxEvent } from '../../main/apple/usbmux/types';
import { PlistService } from '../../main/apple/lockdown/plist-service';
import { decodePlist, decodePlistDict, isPlistDict, readPlistFrame, readUsbmuxPacket, SocketReader, usbmuxPlistBody, type PlistDict } from '../../main/apple/wire';

/** Errors a parser may throw on hostile input: the transport's and the clients' typed errors. */
export const TYPED_ERRORS = new Set([
  'MalformedMessageError', 'FrameTooLargeError', 'ConnectionClosedError', 'ReadTimeoutError',
  'LockdownError', 'LockdownProtocolError', 'MCInstallError', 'InvalidPairRecordError',
]);

/** Outcome of one input: "ok" or the thrown error's name (non-Error throws become "non-error"). */
export type Outcome = string;

function outcome(err: unknown): Outcome {
  return err instanceof Error ? err.name : 'non-error';
}

/** Runs the pure dictionary parsers that consume a decoded reply (usbmux events, MCInstall, pair records). */
function consumeDict(d: PlistDict): void {
  resultNumber(d);
  parseUsbmuxEvent(d);
  if (Array.isArray(d.DeviceList)) for (const x of d.DeviceList) if (isPlistDict(x)) parseAttached(x);
  parseErrorChain(d.ErrorChain);
  if ('OrderedIdentifiers' in d || 'ProfileMetadata' in d) parseProfileList(d);
  if (d.PairRecordData instanceof Uint8Array) parsePairRecord(decodePlistDict(d.PairRecordData, 'pair record'), 'fuzz');
  if ('HostPrivateKey' in d || 'HostID' in d) parsePairRecord(d, 'fuzz');
}

/** decodePlist (XML or binary), then every dictionary consumer. Synchronous. */
export function fuzzPlist(bytes: Buffer): Outcome {
  try {
    const v = decodePlist(bytes, 'fuzz');
    if (isPlistDict(v)) consumeDict(v);
    return 'ok';
  } catch (err) {
    return outcome(err);
  }
}

function endedStream(bytes: Buffer): PassThrough {
  const s = new PassThrough();
  s.end(bytes);
  return s;
}

/** readUsbmuxPacket over a SocketReader fed `bytes` (then EOF), then the plist body and event parsers. */
export async function fuzzUsbmuxPacket(bytes: Buffer): Promise<Outcome> {
  try {
    const reader = new SocketReader(endedStream(bytes), 'usbmuxd');
    const packet = await readUsbmuxPacket(reader, 1000);
    const body = usbmuxPlistBody(packet);
    consumeDict(body);
    return 'ok';
  } catch (err) {
    return outcome(err);
  }
}

/** readPlistFrame over a SocketReader fed `bytes` (then EOF). */
export async function fuzzPlistFrame(bytes: Buffer): Promise<Outcome> {
  try {
    const reader = new SocketReader(endedStream(bytes), 'lockdownd');
    consumeDict(await readPlistFrame(reader, 1000, 'lockdownd'));
    return 'ok';
  } catch (err) {
    return outcome(err);
  }
}

/** A device connection whose writes are swallowed and whose reply stream is `bytes`, then EOF. */
function replyStream(bytes: Buffer): Duplex {
  const d = new Duplex({
    read() {},
    write(_chunk, _enc, cb) {
      cb();
    },
  });
  d.push(bytes);
  d.push(null);
  return d;
}

const DEVICE: UsbmuxDevice = { DeviceID: 1, udid: 'FUZZ', Properties: { DeviceID: 1, SerialNumber: 'FUZZ', ConnectionType: 'USB', raw: {} } };

/** Lockdown requests whose reply handling is fuzzed (`n` picks one). */
const LOCKDOWN_OPS: ((c: LockdownClient) => Promise<unknown>)[] = [
  (c) => c.queryType(),
  (c) => c.getValue(undefined, 'ProductVersion'),
  (c) => c.getValues(),
  (c) => c.startService('com.apple.mobile.MCInstall'),
  (c) => c.request('StartSession', { HostID: 'H', SystemBUID: 'B' }),
  (c) => c.validatePair({ DeviceCertificate: Buffer.from('d'), HostCertificate: Buffer.from('h'), HostPrivateKey: Buffer.from('k'), RootCertificate: Buffer.from('r'), RootPrivateKey: Buffer.from('rk'), HostID: 'H', SystemBUID: 'B' }),
];

/** A LockdownClient (over a stand-in usbmux Connect) receiving `bytes` as the reply to request `n`. */
export async function fuzzLockdownReply(bytes: Buffer, n: number): Promise<Outcome> {
  const usbmux = { connect: async () => replyStream(bytes) } as unknown as UsbmuxClient;
  const client = await LockdownClient.connect(usbmux, DEVICE, { timeoutMs: 1000 });
  try {
    await LOCKDOWN_OPS[n % LOCKDOWN_OPS.length](client);
    return 'ok';
  } catch (err) {
    return outcome(err);
  } finally {
    client.close();
  }
}

const MC_OPS: ((c: MCInstallClient) => Promise<unknown>)[] = [
  (c) => c.getProfileList(),
  (c) => c.installProfile(Buffer.from('profile')),
  (c) => c.getCloudConfiguration(),
  (c) => c.helloHostIdentifier(),
];

/** An MCInstallClient receiving `bytes` as the reply to request `n`. */
export async function fuzzMcinstallReply(bytes: Buffer, n: number): Promise<Outcome> {
  const client = new MCInstallClient(new PlistService(replyStream(bytes), 'MCInstall', { timeoutMs: 1000 }));
  try {
    await MC_OPS[n % MC_OPS.length](client);
    return 'ok';
  } catch (err) {
    return outcome(err);
  } finally {
    client.close();
  }
}
