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
 * generation.
 */
import { createPublicKey, generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  DevicePublicKeyError, LockdownError, LockdownProtocolError, PAIRING_CERT_VALIDITY_DAYS, pairRecordToPlist, type LockdownClient, type PairingPrompt, type PairRecord,
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
    const text = typeof devicePublicKey === 'string' ? devicePublicKey : Buffer.from(devicePublicKey).toString('utf8');
    let key: KeyObject;
    try {
      key = createPublicKey({ key: text, format: 'pem' });
    } catch (err) {
      throw new DevicePublicKeyError((err as Error).message);
    }
    if (key.asymmetricKeyType !== 'rsa') throw new DevicePublicKeyError(`key type ${key.asymmetricKeyType ?? 'unknown'}`);
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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Pairs the device behind `client` (a lockdownd connection without session) using `identity`,
 * saves the record through usbmuxd SavePairRecord (with DeviceID, so listeners get `Paired`) and
 * returns it. Throws LockdownError (UserDeniedPairing, PasswordProtected,
 * PairingDialogResponsePending after `timeoutMs`, …), DevicePublicKeyError, UsbmuxError.
 */
export async function pairWithIdentity(client: LockdownClient, identity: HostPairingIdentity, opts: PairWithIdentityOptions = {}): Promise<PairRecord> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const poll = opts.pollIntervalMs ?? 1_000;
  await client.queryType();
  const devicePublicKey = await client.getValue(undefined, 'DevicePublicKey');
  if (!(devicePublicKey instanceof Uint8Array) && typeof devicePublicKey !== 'string') throw new LockdownProtocolError('GetValue', 'DevicePublicKey missing');
  const SystemBUID = await client.usbmux.readBUID();
  let WiFiMACAddress: string | undefined;
  try {
    const v = await client.getValue(undefined, 'WiFiAddress');
    if (typeof v === 'string') WiFiMACAddress = v;
  } catch (err) {
    if (!(err instanceof LockdownError)) throw err;
  }
  const pem = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  const record: PairRecord = {
    DeviceCertificate: pem(identity.deviceCertificatePem(devicePublicKey)),
    HostCertificate: pem(identity.hostCertificatePem),
    HostPrivateKey: pem(identity.hostPrivateKeyPem),
    RootCertificate: pem(identity.rootCertificatePem),
    RootPrivateKey: pem(identity.rootPrivateKeyPem),
    HostID: randomUUID().toUpperCase(),
    SystemBUID,
    WiFiMACAddress,
  };
  let deadline = 0;
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
        throw new LockdownError('Pair', 'PairingDialogResponsePending', `nobody tapped Trust within ${Math.round(timeoutMs / 1000)} s; unlock the device, tap Trust and pair again`);
      }
      await sleep(Math.min(poll, remainingMs));
    }
  }
  await client.usbmux.savePairRecord(client.udid, pairRecordToPlist(record), client.device.DeviceID);
  return record;
}
