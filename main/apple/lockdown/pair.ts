/**
 * The host side of lockdownd pairing (libimobiledevice `lockdownd_do_pair`, go-ios
 * `ios/pair.go`, pymobiledevice3 `lockdown.py` `pair()`; ../shared/reference/device-protocols.md
 * §2.4): QueryType → GetValue DevicePublicKey → usbmuxd ReadBUID → GetValue WiFiAddress →
 * certificates → Pair (re-sent while `PairingDialogResponsePending`) → usbmuxd SavePairRecord of
 * the full record with the returned EscrowBag. The steps themselves are in ./pair-steps.
 */
import { generatePairingCertificates } from './certificates';
import type { LockdownClient } from './client';
import { pairRecordToPlist, type PairRecord } from './pair-record';
import { assemblePairRecord, readPairingInputs, requestPairing, type PairingPrompt } from './pair-steps';

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

/**
 * Steps 1–4 of pairing (§2.4): QueryType, GetValue DevicePublicKey, usbmuxd ReadBUID, GetValue
 * WiFiAddress, then new root/host/device certificates and a new upper-case HostID. Returns the
 * record to send in Pair (without EscrowBag). Shared by `performPairing()` and supervised pairing
 * (main/apple/supervision). Throws LockdownProtocolError when DevicePublicKey is missing,
 * LockdownError / UsbmuxError from the requests.
 */
export async function newPairRecord(client: LockdownClient): Promise<PairRecord> {
  const inputs = await readPairingInputs(client);
  return assemblePairRecord(generatePairingCertificates(inputs.devicePublicKey), inputs);
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
  await requestPairing(client, record, { timeoutMs, pollIntervalMs: poll, onPrompt: opts.onPrompt });
  if (opts.save !== false) {
    await client.usbmux.savePairRecord(client.udid, pairRecordToPlist(record), client.device.DeviceID);
  }
  return record;
}

