/**
 * Device-side verification of the PairRecord a host sends in lockdownd Pair / ValidatePair
 * (../shared/reference/device-protocols.md §2.4): the three certificates (PEM bytes in `<data>`)
 * must parse, RootCertificate must be a self-signed CA, HostCertificate and DeviceCertificate must
 * be signed by it (SHA-1 or SHA-256 RSA signatures are both accepted: Debian's idevicepair signs
 * with SHA-1), and DeviceCertificate must carry exactly this device's public key.
 */
import { X509Certificate } from 'node:crypto';
import type { PlistDict } from '../../../main/apple/wire';

/** The certificates and identifiers of a host pairing, as the device remembers them. */
export interface HostPairing {
  HostID: string;
  SystemBUID: string;
  /** PEM bytes as received. */
  RootCertificate: Buffer;
  HostCertificate: Buffer;
  DeviceCertificate: Buffer;
  /** DER forms, for matching the TLS client certificate. */
  rootDer: Buffer;
  hostDer: Buffer;
}

/** Thrown when a PairRecord is unusable; `lockdownError` is the lockdownd Error string to answer. */
export class PairRecordRejected extends Error {
  constructor(readonly lockdownError: 'MissingHostID' | 'InvalidPairRecord' | 'MissingPairRecord', detail: string) {
    super(detail);
    this.name = 'PairRecordRejected';
  }
}

function dataField(rec: PlistDict, key: string): Buffer {
  const v = rec[key];
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  throw new PairRecordRejected('InvalidPairRecord', `PairRecord.${key} is missing or not data`);
}

function parseCert(pem: Buffer, key: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new PairRecordRejected('InvalidPairRecord', `PairRecord.${key} does not parse as an X.509 certificate: ${(err as Error).message}`);
  }
}

/**
 * Checks `record` (the Pair request's `PairRecord` dictionary) against the device public key
 * (`devicePublicKeyPkcs1Der`, PKCS#1 DER). Returns the pairing to remember; throws
 * PairRecordRejected (MissingHostID, InvalidPairRecord) otherwise.
 */
export function verifyPairRecord(record: PlistDict, devicePublicKeyPkcs1Der: Buffer): HostPairing {
  const HostID = record.HostID;
  if (typeof HostID !== 'string' || HostID.length === 0) throw new PairRecordRejected('MissingHostID', 'PairRecord.HostID is missing');
  const rootPem = dataField(record, 'RootCertificate');
  const hostPem = dataField(record, 'HostCertificate');
  const devicePem = dataField(record, 'DeviceCertificate');
  const root = parseCert(rootPem, 'RootCertificate');
  const host = parseCert(hostPem, 'HostCertificate');
  const device = parseCert(devicePem, 'DeviceCertificate');
  if (!root.ca) throw new PairRecordRejected('InvalidPairRecord', 'RootCertificate is not a CA certificate (BasicConstraints CA:TRUE missing)');
  if (!root.verify(root.publicKey)) throw new PairRecordRejected('InvalidPairRecord', 'RootCertificate is not self-signed');
  if (!host.verify(root.publicKey)) throw new PairRecordRejected('InvalidPairRecord', 'HostCertificate is not signed by RootCertificate');
  if (!device.verify(root.publicKey)) throw new PairRecordRejected('InvalidPairRecord', 'DeviceCertificate is not signed by RootCertificate');
  let certKey: Buffer;
  try {
    certKey = device.publicKey.export({ type: 'pkcs1', format: 'der' }) as Buffer;
  } catch {
    throw new PairRecordRejected('InvalidPairRecord', 'DeviceCertificate does not hold an RSA public key');
  }
  if (!certKey.equals(devicePublicKeyPkcs1Der)) {
    throw new PairRecordRejected('InvalidPairRecord', 'DeviceCertificate does not carry this device\'s DevicePublicKey');
  }
  const SystemBUID = typeof record.SystemBUID === 'string' ? record.SystemBUID : '';
  return { HostID, SystemBUID, RootCertificate: rootPem, HostCertificate: hostPem, DeviceCertificate: devicePem, rootDer: root.raw, hostDer: host.raw };
}
