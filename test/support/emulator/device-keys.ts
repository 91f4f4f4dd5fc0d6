/**
 * The device's own RSA-2048 key pair (lockdownd `DevicePublicKey`, and the private key behind the
 * DeviceCertificate the host issues at pairing). Generated with node:crypto's asynchronous
 * `generateKeyPair` on first use, so starting many devices costs nothing until they are paired
 * or asked for DevicePublicKey. Reference: ../shared/reference/device-protocols.md §2.4 step 1.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';

/** A device key pair with the encodings lockdownd and TLS need. */
export interface DeviceKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#1 PEM ("-----BEGIN RSA PUBLIC KEY-----"), as bytes: the `DevicePublicKey` value. */
  publicKeyPkcs1Pem: Buffer;
  /** PKCS#1 DER of the public key, for comparison with certificates. */
  publicKeyPkcs1Der: Buffer;
  /** PKCS#8 PEM of the private key, for the TLS server context only (never logged). */
  privateKeyPem: string;
}

/** Generates an RSA-2048 (e = 65537) key pair. Rejects only if node:crypto fails. */
export function generateDeviceKeyPair(): Promise<DeviceKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, (err, publicKey, privateKey) => {
      if (err) {
        reject(err);
        return;
      }
      resolve({
        privateKey,
        publicKey,
        publicKeyPkcs1Pem: Buffer.from(publicKey.export({ type: 'pkcs1', format: 'pem' }) as string, 'utf8'),
        publicKeyPkcs1Der: publicKey.export({ type: 'pkcs1', format: 'der' }) as Buffer,
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      });
    });
  });
}
