/**
 * The host side of lockdownd pairing (libimobiledevice `lockdownd_do_pair`, go-ios
 * `ios/pair.go`, pymobiledevice3 `lockdown.py` `pair()`; ../shared/reference/device-protocols.md
 * §2.4): QueryType → GetValue DevicePublicKey → usbmuxd ReadBUID → GetValue WiFiAddress →
 * certificates → Pair (re-sent while `PairingDialogResponsePending`) → usbmuxd SavePairRecord of
 * the full record with the returned EscrowBag.
 */
import { randomUUID } from 'node:crypto';
import { generatePairingCertificates } from './certificates';
import type { LockdownClient } from './client';
import { LockdownError, LockdownProtocolError } from './errors';
import { pairRecordToPlist, type PairRecord } from './pair-record';

/** What `onPrompt` receives while the device shows its Trust dialog. */
export interface PairingPrompt {
  udid: string;
  /** Human-readable instruction, e.g. "unlock the device and tap Trust". */
  message: string;
  /** Milliseconds left before pairing gives up. */
  remainingMs: number;
}

/** Options of `performPairing()`. Times in milliseconds. */
export interface PairOptions {
  /** Time the user has to tap Trust, counted from the first PairingDialogResponsePending (default 120 000 ms). */
  timeoutMs?: number;
  /** Delay between Pair retries while the dialog is pending (default 1 000 ms). */
  pollIntervalMs?: number;
  /** Called once when the device starts showing the Trust dialog (first PairingDialogResponsePending). */
  onPrompt?: (prompt: PairingPrompt) => void;
  /** Save the record through usbmuxd SavePairRecord (default true). */
  save?: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Steps 1–4 of pairing (§2.4): QueryType, GetValue DevicePublicKey, usbmuxd ReadBUID, GetValue
 * WiFiAddress, then new root/host/device certificates and a new upper-case HostID. Returns the
 * record to send in Pair (without EscrowBag). Shared by `performPairing()` and supervised pairing
 * (main/apple/supervision). Throws LockdownProtocolError when DevicePublicKey is missing,
 * LockdownError / UsbmuxError from the requests.
 */
export async function newPairRecord(client: LockdownClient): Promise<PairRecord> {
  await client.queryType();
  const devicePublicKey = await client.getValue(undefined, 'DevicePublicKey');
  if (!(devicePublicKey instanceof Uint8Array) && typeof devicePublicKey !== 'string') {
    throw new LockdownProtocolError('GetValue', 'DevicePublicKey missing');
  }
  const SystemBUID = await client.usbmux.readBUID();
  let WiFiMACAddress: string | undefined;
  try {
    const v = await client.getValue(undefined, 'WiFiAddress');
    if (typeof v === 'string') WiFiMACAddress = v;
  } catch (err) {
    if (!(err instanceof LockdownError)) throw err; // devices without Wi-Fi answer MissingValue
  }
  const certs = generatePairingCertificates(devicePublicKey);
  const pem = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  return {
    DeviceCertificate: pem(certs.DeviceCertificate),
    HostCertificate: pem(certs.HostCertificate),
    HostPrivateKey: pem(certs.HostPrivateKey),
    RootCertificate: pem(certs.RootCertificate),
    RootPrivateKey: pem(certs.RootPrivateKey),
    HostID: randomUUID().toUpperCase(),
    SystemBUID,
    WiFiMACAddress,
  };
}

/**
 * Pairs the host with the device behind `client` (a connection without session) and returns the
 * full pair record, saved through usbmuxd unless `save: false`. Throws LockdownError with code
 * `PairingDialogResponsePending` when the dialog was not answered within `timeoutMs`,
 * `UserDeniedPairing`, `PasswordProtected` (device locked), or another lockdownd code;
 * DevicePublicKeyError; UsbmuxError from ReadBUID/SavePairRecord.
 */
export async function performPairing(client: LockdownClient, opts: PairOptions = {}): Promise<PairRecord> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const poll = opts.pollIntervalMs ?? 1_000;
  const record = await newPairRecord(client);

  let deadline = 0; // set when the Trust dialog first appears
  for (;;) {
    try {
      const reply = await client.pair(record);
      if (reply.EscrowBag instanceof Uint8Array) record.EscrowBag = reply.EscrowBag;
      break;
    } catch (err) {
      if (!(err instanceof LockdownError) || err.code !== 'PairingDialogResponsePending') throw err;
      if (deadline === 0) {
        deadline = Date.now() + timeoutMs;
        opts.onPrompt?.({ udid: client.udid, message: `unlock ${client.udid} and tap Trust on the device`, remainingMs: timeoutMs });
      }
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) {
        throw new LockdownError('Pair', 'PairingDialogResponsePending', `nobody tapped Trust within ${timeoutMs >= 10_000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}; unlock the device, tap Trust and pair again`);
      }
      await sleep(Math.min(poll, remainingMs));
    }
  }
  if (opts.save !== false) {
    await client.usbmux.savePairRecord(client.udid, pairRecordToPlist(record), client.device.DeviceID);
  }
  return record;
}

