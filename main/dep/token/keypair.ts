/**
 * The ABM server key pair: an RSA-2048 private key kept (sealed) by StageBench and a self-signed
 * X.509 certificate the admin uploads to Apple Business Manager ("Download Public Key", PEM).
 * Apple encrypts the server token to this certificate. Same shape as NanoDEP
 * `tokenpki.SelfSignedRSAKeypair` (NotBefore now − 10 min, KeyUsage keyEncipherment |
 * digitalSignature), except the serial: random positive 95 bits instead of 1, so two servers'
 * certificates never share issuer and serial (the CMS RecipientInfo key).
 */
import crypto from 'node:crypto';
import { createSelfSignedRsa } from '../../profiles/self-signed';

/** A generated server key pair: PKCS#8 PEM private key (secret) and PEM certificate. */
export interface ServerKeyPair {
  privateKeyPem: string;
  certificatePem: string;
  /** SHA-256 of the certificate DER, upper-case hex. */
  fingerprintSha256: string;
  /** ISO-8601 validity end. */
  notAfter: string;
}

/** Options: subject CN (default `StageBench ADE <name>`), validity days (default 365, 1..3650). */
export interface ServerKeyPairOptions {
  commonName?: string;
  days?: number;
  /** Clock for tests (ms since epoch). */
  now?: number;
}

/**
 * Generates an RSA-2048 key pair (node:crypto) and a self-signed SHA-256 certificate
 * (node-forge) for uploading to ABM. Throws RangeError for days outside 1..3650.
 */
export function generateServerKeyPair(opts: ServerKeyPairOptions = {}): ServerKeyPair {
  const days = opts.days ?? 365;
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new RangeError(`certificate validity must be 1 to 3650 days, not ${days}`);
  const made = createSelfSignedRsa({
    commonName: opts.commonName ?? 'StageBench ADE server',
    organizationName: 'StageBench',
    days,
    now: opts.now,
    notBeforeSkewMs: 10 * 60_000,
    serialBytes: 12,
  });
  return {
    privateKeyPem: made.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: made.certificatePem,
    fingerprintSha256: crypto.createHash('sha256').update(made.certificateDer).digest('hex').toUpperCase(),
    notAfter: made.notAfter.toISOString(),
  };
}
