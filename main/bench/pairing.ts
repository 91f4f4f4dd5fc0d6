/**
 * Host-side lockdownd pairing for benches that pair many devices at once
 * (../shared/reference/device-protocols.md §2.4; libimobiledevice `lockdownd_do_pair`, go-ios
 * `ios/pair.go`). Same wire sequence as main/apple/lockdown `performPairing` — QueryType →
 * GetValue DevicePublicKey → usbmuxd ReadBUID → GetValue WiFiAddress → Pair (re-sent while
 * PairingDialogResponsePending) → usbmuxd SavePairRecord — but the root and host key pairs are
 * generated once per `HostPairingIdentity` (asynchronously, off the event loop) and shared by every
 * device it pairs, as libimobiledevice ≤ 1.1 did with its per-host HostCertificate.pem /
 * RootCertificate.pem. Per device only the DeviceCertificate is signed (~1 ms, native) and a fresh
 * HostID is drawn, so 32 simultaneous pairings never block the event loop for an RSA key
 * generation. The wire steps are main/apple/lockdown's `readPairingInputs`, `assemblePairRecord`
 * and `requestPairing`.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  assemblePairRecord, devicePublicKeyObject, PAIRING_CERT_VALIDITY_DAYS, pairRecordToPlist, readPairingInputs, requestPairing, type LockdownClient, type PairingPrompt, type PairRecord,
} from '../apple';
import { buildCertificate, certificatePem } from './x509';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Root CA and host identity shared by the pairings of one bench session. Keys are secrets. */
export class HostPairingIdentity {
  private constructor(
    private readonly rootKey: KeyObject,
    readonly rootCertificatePem: string,
    /** Secret: PKCS#1 PEM. */
    readonly rootPrivateKeyPem: string,
    readonly hostCertificatePem: string,
    /** Secret: PKCS#1 PEM. */
    readonly hostPrivateKeyPem: string,
    private readonly notBefore: Date,
    private readonly notAfter: Date,
  ) {}

  /** Generates the root and host RSA-2048 key pairs (libuv thread pool) and their certificates. */
  static async create(now: Date = new Date()): Promise<HostPairingIdentity> {
    const opts = { modulusLength: 2048, publicExponent: 0x10001 } as const;
    const [root, host] = await Promise.all([generateKeyPairAsync('rsa', opts), generateKeyPairAsync('rsa', opts)]);
    const notBefore = new Date(now.getTime());
    const notAfter = new Date(now.getTime() + PAIRING_CERT_VALIDITY_DAYS * 86_400_000);
    const rootCert = buildCertificate({ publicKey: root.publicKey, signingKey: root.privateKey, ca: true, notBefore, notAfter });
    const hostCert = buildCertificate({ publicKey: host.publicKey, signingKey: root.privateKey, ca: false, notBefore, notAfter });
    return new HostPairingIdentity(
      root.privateKey,
      certificatePem(rootCert),
      root.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      certificatePem(hostCert),
      host.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      notBefore,
      notAfter,
    );
  }

  /**
   * Signs a DeviceCertificate for `devicePublicKey` (PEM `RSA PUBLIC KEY` or `PUBLIC KEY`, text
   * or bytes, as lockdownd's DevicePublicKey). Throws DevicePublicKeyError for anything but RSA.
   */
  deviceCertificatePem(devicePublicKey: string | Uint8Array): string {
    const key = devicePublicKeyObject(devicePublicKey);
    return certificatePem(buildCertificate({ publicKey: key, signingKey: this.rootKey, ca: false, subjectKeyIdentifier: true, notBefore: this.notBefore, notAfter: this.notAfter }));
  }
}

/** Options of `pairWithIdentity`. Times in milliseconds. */
export interface PairWithIdentityOptions {
  /** Time the operator has to tap Trust, from the first PairingDialogResponsePending (default 120 000). */
  timeoutMs?: number;
  /** Delay between Pair requests while the dialog is pending (default 1 000). */
  pollIntervalMs?: number;
  /** Called once when the device starts showing its Trust dialog. */
  onPrompt?: (prompt: PairingPrompt) => void;
}

/**
 * Pairs the device behind `client` (a lockdownd connection without session) using `identity`,
 * saves the record through usbmuxd SavePairRecord (with DeviceID, so listeners get `Paired`) and
 * returns it. Throws LockdownError (UserDeniedPairing, PasswordProtected,
 * PairingDialogResponsePending after `timeoutMs`, …), DevicePublicKeyError, UsbmuxError.
 */
export async function pairWithIdentity(client: LockdownClient, identity: HostPairingIdentity, opts: PairWithIdentityOptions = {}): Promise<PairRecord> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const poll = opts.pollIntervalMs ?? 1_000;
  const inputs = await readPairingInputs(client);
  const record = assemblePairRecord({
    DeviceCertificate: identity.deviceCertificatePem(inputs.devicePublicKey),
    HostCertificate: identity.hostCertificatePem,
    HostPrivateKey: identity.hostPrivateKeyPem,
    RootCertificate: identity.rootCertificatePem,
    RootPrivateKey: identity.rootPrivateKeyPem,
  }, inputs);
  await requestPairing(client, record, {
    timeoutMs, pollIntervalMs: poll, onPrompt: opts.onPrompt, describeTimeout: (ms) => `${Math.round(ms / 1000)} s`,
  });
  await client.usbmux.savePairRecord(client.udid, pairRecordToPlist(record), client.device.DeviceID);
  return record;
}
