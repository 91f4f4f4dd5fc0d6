/**
 * A new RSA-2048 key (node:crypto) with a self-signed X.509 v3 certificate (node-forge): SHA-256
 * signature, BasicConstraints CA:FALSE (critical), KeyUsage digitalSignature + keyEncipherment
 * (critical), SubjectKeyIdentifier, a random positive serial. Used for the ABM server key pair
 * (Apple encrypts the server token to it) and for organization supervision identities
 * (SupervisorHostCertificates).
 */
import crypto from 'node:crypto';
import forge from 'node-forge';

/** Subject (= issuer) names and validity of the certificate. */
export interface SelfSignedOptions {
  commonName: string;
  organizationName: string;
  /** Validity length in days, counted from `now`. */
  days: number;
  /** Clock (ms since the epoch); default Date.now(). */
  now?: number;
  /** NotBefore lies this many ms before `now`, for clock skew between host and peer. */
  notBeforeSkewMs: number;
  /** Random serial length in bytes (the top bit is cleared so the INTEGER is positive). */
  serialBytes: number;
}

/** The key (PKCS#1 PEM; a secret) and the certificate (PEM and DER). */
export interface SelfSignedRsa {
  privateKey: crypto.KeyObject;
  certificatePem: string;
  certificateDer: Buffer;
  notAfter: Date;
}

/** Generates the key and signs the certificate. Throws only on crypto failures. */
export function createSelfSignedRsa(o: SelfSignedOptions): SelfSignedRsa {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  const serial = crypto.randomBytes(o.serialBytes);
  serial[0] &= 0x7f; // positive INTEGER
  cert.serialNumber = serial.toString('hex');
  const now = o.now ?? Date.now();
  cert.validity.notBefore = new Date(now - o.notBeforeSkewMs);
  cert.validity.notAfter = new Date(now + o.days * 86_400_000);
  const attrs = [{ name: 'commonName', value: o.commonName }, { name: 'organizationName', value: o.organizationName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  return {
    privateKey,
    certificatePem: forge.pki.certificateToPem(cert),
    certificateDer: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'),
    notAfter: cert.validity.notAfter,
  };
}
