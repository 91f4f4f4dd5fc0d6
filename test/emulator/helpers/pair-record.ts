/**
 * Builds host pair records for tests, the way a host does (../shared/reference/device-protocols.md
 * §2.4): a self-signed root CA, a host certificate and a device certificate for the device's
 * DevicePublicKey, both signed by the root; empty DNs, serial 0, SHA-1 or SHA-256. Keys come from
 * node:crypto, certificates from node-forge. Knobs let tests break one property at a time.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import forge from 'node-forge';

/** A host pair record with PEM strings; field names as in libimobiledevice's record. */
export interface TestPairRecord {
  HostID: string;
  SystemBUID: string;
  RootCertificate: string;
  RootPrivateKey: string;
  HostCertificate: string;
  HostPrivateKey: string;
  DeviceCertificate: string;
}

/** Ways to make a deliberately bad record. */
export interface PairRecordOptions {
  hash?: 'sha1' | 'sha256';
  /** Put this public key (PKCS#1 PEM) into the device certificate instead of the device's. */
  wrongDeviceKey?: boolean;
  /** Sign the device certificate with an unrelated key. */
  deviceCertNotFromRoot?: boolean;
  /** Omit CA:TRUE on the root. */
  rootNotCa?: boolean;
  SystemBUID?: string;
}

function rsa(): { pub: string; priv: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { pub: publicKey, priv: privateKey };
}

function cert(subjectPubPem: string, signerPrivPem: string, ext: object[], hash: 'sha1' | 'sha256'): string {
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.publicKeyFromPem(subjectPubPem);
  c.serialNumber = '00';
  c.validity.notBefore = new Date(Date.now() - 60_000);
  c.validity.notAfter = new Date(Date.now() + 3650 * 86400_000);
  c.setSubject([]);
  c.setIssuer([]);
  c.setExtensions(ext);
  c.sign(forge.pki.privateKeyFromPem(signerPrivPem), hash === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create());
  return forge.pki.certificateToPem(c);
}

/** Creates a pair record for a device whose DevicePublicKey is `devicePublicKeyPem` (PKCS#1 PEM text). */
export function makePairRecord(devicePublicKeyPem: string, opts: PairRecordOptions = {}): TestPairRecord {
  const hash = opts.hash ?? 'sha256';
  const root = rsa();
  const host = rsa();
  const leaf = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
  ];
  const RootCertificate = cert(root.pub, root.priv, opts.rootNotCa ? [] : [{ name: 'basicConstraints', cA: true, critical: true }], hash);
  const HostCertificate = cert(host.pub, root.priv, leaf, hash);
  const devicePub = opts.wrongDeviceKey ? rsa().pub : devicePublicKeyPem;
  const deviceSigner = opts.deviceCertNotFromRoot ? rsa().priv : root.priv;
  const DeviceCertificate = cert(devicePub, deviceSigner, [...leaf, { name: 'subjectKeyIdentifier' }], hash);
  return {
    HostID: randomUUID().toUpperCase(),
    SystemBUID: opts.SystemBUID ?? randomUUID().toUpperCase(),
    RootCertificate, RootPrivateKey: root.priv, HostCertificate, HostPrivateKey: host.priv, DeviceCertificate,
  };
}

/** The `PairRecord` dictionary sent in lockdownd Pair (certificates as PEM bytes, no private keys). */
export function pairRequestRecord(r: TestPairRecord): { [k: string]: string | Uint8Array } {
  return {
    DeviceCertificate: Buffer.from(r.DeviceCertificate),
    HostCertificate: Buffer.from(r.HostCertificate),
    RootCertificate: Buffer.from(r.RootCertificate),
    HostID: r.HostID,
    SystemBUID: r.SystemBUID,
  };
}
