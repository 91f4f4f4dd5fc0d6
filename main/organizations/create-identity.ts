/**
 * A new supervision identity, like the one Apple Configurator creates for an Organization: a
 * self-signed X.509 v3 certificate with a new RSA-2048 key, subject CN and O = the organization
 * name, SHA-256 signature, BasicConstraints CA:FALSE, KeyUsage digitalSignature + keyEncipherment,
 * SubjectKeyIdentifier. The DER certificate goes into the device's cloud configuration
 * (SupervisorHostCertificates); the key signs challenges (../shared/reference/device-protocols.md §2.5, §3.4).
 * Built by main/profiles/self-signed.ts (node:crypto key, node-forge certificate).
 */
import { X509Certificate } from 'node:crypto';
import { createSelfSignedRsa } from '../profiles/self-signed';
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
  const made = createSelfSignedRsa({ commonName: cn, organizationName: cn, days: validityDays, notBeforeSkewMs: 3600_000, serialBytes: 16 });
  return makeSigningIdentity(new X509Certificate(made.certificateDer), made.privateKey);
}
