/**
 * The steps of host-side lockdownd pairing shared by every way StageBench pairs
 * (../shared/reference/device-protocols.md §2.4; libimobiledevice `lockdownd_do_pair`, go-ios
 * `ios/pair.go`): reading what the record needs from the device (steps 1–2), assembling the
 * record from PEM certificates (steps 3–4), and sending Pair until the user answers the Trust
 * dialog (steps 5–6). `performPairing()` draws fresh certificates per device; main/bench reuses
 * one root/host identity for many devices; both go through these functions.
 */
import { randomUUID } from 'node:crypto';
import type { PairingCertificates } from './certificates';
import type { LockdownClient } from './client';
import { LockdownError, LockdownProtocolError } from './errors';
import type { PairRecord } from './pair-record';

/** What `onPrompt` receives while the device shows its Trust dialog. */
export interface PairingPrompt {
  udid: string;
  /** Human-readable instruction, e.g. "unlock the device and tap Trust". */
  message: string;
  /** Milliseconds left before pairing gives up. */
  remainingMs: number;
}

/** What the device and usbmuxd contribute to a pair record. */
export interface PairingInputs {
  /** lockdownd `DevicePublicKey`: PEM RSA public key, as text or bytes. */
  devicePublicKey: string | Uint8Array;
  /** usbmuxd ReadBUID value of this host. */
  SystemBUID: string;
  /** lockdownd `WiFiAddress`, absent on devices without Wi-Fi. */
  WiFiMACAddress?: string;
}

/**
 * Steps 1–2 (§2.4): QueryType, GetValue DevicePublicKey, usbmuxd ReadBUID, GetValue WiFiAddress
 * (a lockdownd error there, e.g. MissingValue, means no Wi-Fi). Throws LockdownProtocolError when
 * DevicePublicKey is missing, LockdownError / UsbmuxError from the other requests.
 */
export async function readPairingInputs(client: LockdownClient): Promise<PairingInputs> {
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
  return { devicePublicKey, SystemBUID, WiFiMACAddress };
}

/**
 * Steps 3–4 (§2.4): the pair record to send in Pair (without EscrowBag) from the PEM texts of
 * `certs` (stored as bytes) and `inputs`, under a new upper-case HostID.
 */
export function assemblePairRecord(certs: PairingCertificates, inputs: PairingInputs): PairRecord {
  const pem = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  return {
    DeviceCertificate: pem(certs.DeviceCertificate),
    HostCertificate: pem(certs.HostCertificate),
    HostPrivateKey: pem(certs.HostPrivateKey),
    RootCertificate: pem(certs.RootCertificate),
    RootPrivateKey: pem(certs.RootPrivateKey),
    HostID: randomUUID().toUpperCase(),
    SystemBUID: inputs.SystemBUID,
    WiFiMACAddress: inputs.WiFiMACAddress,
  };
}

/** Options of `requestPairing()`. Times in milliseconds. */
export interface PairRequestOptions {
  /** Time the user has to tap Trust, counted from the first PairingDialogResponsePending. */
  timeoutMs: number;
  /** Delay between Pair requests while the dialog is pending. */
  pollIntervalMs: number;
  /** Called once when the device starts showing the Trust dialog (first PairingDialogResponsePending). */
  onPrompt?: (prompt: PairingPrompt) => void;
  /** Wording of `timeoutMs` in the timeout error (default: "N s" from 10 s up, "N ms" below). */
  describeTimeout?: (timeoutMs: number) => string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const describeTimeout = (timeoutMs: number): string => (timeoutMs >= 10_000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`);

/**
 * Steps 5–6 (§2.4): sends Pair with `record`, re-sending every `pollIntervalMs` while the device
 * answers PairingDialogResponsePending, and stores the returned EscrowBag in `record`. Throws
 * LockdownError: `PairingDialogResponsePending` when nobody tapped Trust within `timeoutMs`,
 * `UserDeniedPairing`, `PasswordProtected` (device locked) or another lockdownd code.
 */
export async function requestPairing(client: LockdownClient, record: PairRecord, opts: PairRequestOptions): Promise<void> {
  const { timeoutMs } = opts;
  let deadline = 0; // set when the Trust dialog first appears
  for (;;) {
    try {
      const reply = await client.pair(record);
      if (reply.EscrowBag instanceof Uint8Array) record.EscrowBag = reply.EscrowBag;
      return;
    } catch (err) {
      if (!(err instanceof LockdownError) || err.code !== 'PairingDialogResponsePending') throw err;
      if (deadline === 0) {
        deadline = Date.now() + timeoutMs;
        opts.onPrompt?.({ udid: client.udid, message: `unlock ${client.udid} and tap Trust on the device`, remainingMs: timeoutMs });
      }
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) {
        throw new LockdownError('Pair', 'PairingDialogResponsePending', `nobody tapped Trust within ${(opts.describeTimeout ?? describeTimeout)(timeoutMs)}; unlock the device, tap Trust and pair again`);
      }
      await sleep(Math.min(opts.pollIntervalMs, remainingMs));
    }
  }
}
