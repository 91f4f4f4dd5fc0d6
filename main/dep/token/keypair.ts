/**
 * The ABM server key pair: an RSA-2048 private key kept (sealed) by StageBench and a self-signed
 * X.509 certificate the admin uploads to Apple Business Manager ("Download Public Key", PEM).
 * Apple encrypts the server token to this certificate. Same shape as NanoDEP
 * `tokenpki.SelfSignedRSAKeypair` (NotBefore now − 10 min, KeyUsage keyEncipherment |
 * digitalSignature), except the serial: random positive 95 bits instead of 1, so two servers'
 * certificates never share issuer and serial (the CMS RecipientInfo key).
 */
import crypto from 'node:crypto';
import forge from 'node-forge';

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
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  const serial = crypto.randomBytes(12);
  serial[0] &= 0x7f; // positive INTEGER
  cert.serialNumber = serial.toString('hex');
  const now = opts.now ?? Date.now();
  cert.validity.notBefore = new Date(now - 10 * 60_000);
  cert.validity.notAfter = new Date(now + days * 86_400_000);
  const attrs = [{ name: 'commonName', value: opts.commonName ?? 'StageBench ADE server' }, { name: 'organizationName', value: 'StageBench' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    privateKeyPem,
    certificatePem,
    fingerprintSha256: crypto.createHash('sha256').update(der).digest('hex').toUpperCase(),
    notAfter: cert.validity.notAfter.toISOString(),
  };
}
