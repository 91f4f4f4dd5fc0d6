/**
 * A new supervision identity, like the one Apple Configurator creates for an Organization: a
 * self-signed X.509 v3 certificate with a new RSA-2048 key, subject CN and O = the organization
 * name, SHA-256 signature, BasicConstraints CA:FALSE, KeyUsage digitalSignature + keyEncipherment,
 * SubjectKeyIdentifier. The DER certificate goes into the device's cloud configuration
 * (SupervisorHostCertificates); the key signs challenges (../shared/reference/device-protocols.md §2.5, §3.4).
 * Key generation uses node:crypto; node-forge builds and signs the certificate.
 */
import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { makeSigningIdentity, type SigningIdentity } from '../profiles';
import { OrganizationInputError } from './errors';

/** Default validity of a created identity: 20 years, in days. */
export const DEFAULT_VALIDITY_DAYS = 7300;

/**
 * Creates the identity for organization `name`, valid from now (minus 1 hour for clock skew) for
 * `validityDays`. Throws OrganizationInputError for an empty name or a validity outside 1–36500 days.
 */
export function createSupervisionIdentity(name: string, validityDays = DEFAULT_VALIDITY_DAYS): SigningIdentity {
  const cn = name.trim();
  if (!cn) throw new OrganizationInputError('the organization name is empty; give --name NAME');
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > 36500) throw new OrganizationInputError('--validity-days must be a whole number from 1 to 36500');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const fKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(fKey.n, fKey.e);
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive INTEGER
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 3600_000);
  cert.validity.notAfter = new Date(now + validityDays * 86_400_000);
  const attrs = [{ name: 'commonName', value: cn }, { name: 'organizationName', value: cn }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(fKey, forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return makeSigningIdentity(new X509Certificate(der), createPrivateKey(pem));
}
