/**
 * Signing identities at the bench: import from PKCS#12 (the p12 password is used once and never
 * stored; the private key is sealed), list, and open for signing.
 */
import crypto from 'node:crypto';
import { exportSigningIdentity, importPkcs12, signingIdentityFromStored, type SigningIdentity } from '../profiles';
import type { SecretBox } from '../secrets';
import { appendAudit, insertIdentity, listIdentities, openIdentityMaterial, getIdentityMeta, type Db, type IdentityMeta } from '../store';
import type { IdentityRow } from './types';

/** Identity operations. Errors: Pkcs12PasswordError (wrong password), SigningIdentityError, DuplicateIdentityError. */
export interface IdentityService {
  /** Imports `p12` (bytes) with `password`; `label` defaults to the certificate's subject. */
  importPkcs12(p12: Uint8Array, password: string, label?: string): IdentityRow;
  /** Every stored identity, newest first. */
  list(): IdentityRow[];
  /** Opens a stored identity for signing (unseals its key). Throws when the id is unknown. */
  open(id: string): SigningIdentity;
}

/** Builds the identity service over the cache and secret box; `actor` is recorded in the audit trail. */
export function createIdentityService(db: Db, box: SecretBox, actor: string): IdentityService {
  return {
    importPkcs12(p12, password, label) {
      const identity = importPkcs12(p12, password);
      const stored = exportSigningIdentity(identity);
      const cert = identity.certificate;
      const meta: IdentityMeta = {
        id: crypto.randomUUID(),
        label: label?.trim() || identity.subject,
        subject: identity.subject,
        issuer: cert.issuer.split('\n').filter(Boolean).join(', '),
        keyType: identity.keyAlgorithm,
        notBefore: new Date(cert.validFrom).toISOString(),
        notAfter: new Date(cert.validTo).toISOString(),
        fingerprintSha256: crypto.createHash('sha256').update(identity.certificateDer).digest('hex').toUpperCase(),
        importedAt: new Date().toISOString(),
      };
      db.transaction(() => {
        insertIdentity(db, box, meta, stored);
        appendAudit(db, { actor, action: 'identity.import', target: meta.subject, outcome: 'success', detail: `fingerprint ${meta.fingerprintSha256}` });
      })();
      return meta;
    },
    list: () => listIdentities(db),
    open(id) {
      if (!getIdentityMeta(db, id)) throw new Error(`no signing identity with id ${id}; import one first (stagebench identity import FILE.p12)`);
      return signingIdentityFromStored(openIdentityMaterial(db, box, id));
    },
  };
}
