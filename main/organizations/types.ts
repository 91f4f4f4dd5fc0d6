/**
 * Organizations as the app and CLI see them: Apple Configurator's "Organization" — the name and
 * contact fields a prepared device shows (cloud configuration keys) plus the supervision identity
 * (certificate; the private key never leaves the sealed store through these types).
 */

/** How the supervision identity came to StageBench. */
export type OrganizationSource = 'created' | 'imported-p12' | 'imported-der';

/** One organization. Dates ISO-8601 UTC. JSON-safe (no bytes). */
export interface OrganizationRow {
  id: string;
  /** OrganizationName. */
  name: string;
  /** OrganizationDepartment. */
  department: string | null;
  /** OrganizationEmail. */
  email: string | null;
  /** OrganizationPhone. */
  phone: string | null;
  /** OrganizationAddress. */
  address: string | null;
  /** OrganizationMagic (upper-case UUID). */
  magic: string;
  source: OrganizationSource;
  keyType: 'rsa' | 'ec';
  /** Certificate subject, OpenSSL one-line form. */
  subject: string;
  /** SHA-256 of the DER certificate, upper-case hex. */
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  createdAt: string;
}

/** Contact fields of a new or imported organization. */
export interface OrganizationInput {
  /** OrganizationName (required for create; for imports defaults to the certificate's CN/O). */
  name?: string;
  department?: string;
  email?: string;
  phone?: string;
  address?: string;
}
