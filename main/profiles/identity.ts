/**
 * Signing identities (certificate + private key + issuer chain) for CMS profile signing, their
 * serialisable form for sealed storage, and construction from PEM files. The private key lives
 * only in a node:crypto KeyObject; {@link exportSigningIdentity} is the one way out (PKCS#8 DER
 * for the caller to seal — never write it to disk in plaintext or log it).
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { buildIssuerChain, certificatesFromPemOrDer, oneLineName } from './certificates';
import { SigningIdentityError } from './errors';

/** Key algorithms supported for signing: RSA (PKCS#1 v1.5) and ECDSA on P-256/P-384/P-521. */
export type SigningKeyAlgorithm = 'rsa' | 'ec';

/**
 * A usable signing identity. `chainDer` holds the signer's issuers nearest first (as found in
 * the source; it may end with the self-signed root, which signing leaves out of the CMS).
 */
export interface SigningIdentity {
  readonly certificate: X509Certificate;
  readonly certificateDer: Buffer;
  readonly chain: readonly X509Certificate[];
  readonly chainDer: readonly Buffer[];
  readonly privateKey: KeyObject;
  readonly keyAlgorithm: SigningKeyAlgorithm;
  /** Signer subject, OpenSSL one-line form (`/CN=…/O=…`). */
  readonly subject: string;
}

/**
 * Serialisable identity for storage: certificate DER, issuer chain DER (nearest first), and the
 * private key as unencrypted PKCS#8 DER. The key is a secret: seal it before storing.
 */
export interface StoredSigningIdentity {
  certificateDer: Buffer;
  chainDer: Buffer[];
  privateKeyPkcs8Der: Buffer;
}

function spki(k: KeyObject): Buffer {
  return (k.type === 'private' ? createPublicKey(k) : k).export({ type: 'spki', format: 'der' });
}

/** True when `key` (private) is the key of `cert`. */
export function keyMatchesCertificate(key: KeyObject, cert: X509Certificate): boolean {
  return spki(key).equals(spki(cert.publicKey));
}

/**
 * Assembles a SigningIdentity from parsed parts: checks the key type (RSA or EC P-256/384/521),
 * that the key matches the certificate, and orders `others` into the issuer chain (unrelated
 * certificates are dropped). Throws SigningIdentityError with what to do.
 */
export function makeSigningIdentity(certificate: X509Certificate, privateKey: KeyObject, others: X509Certificate[] = []): SigningIdentity {
  if (privateKey.type !== 'private') throw new SigningIdentityError('the key given is not a private key; give the signer\'s private key');
  const t = privateKey.asymmetricKeyType;
  let keyAlgorithm: SigningKeyAlgorithm;
  if (t === 'rsa') keyAlgorithm = 'rsa';
  else if (t === 'ec') {
    const curve = privateKey.asymmetricKeyDetails?.namedCurve;
    if (!curve || !['prime256v1', 'secp384r1', 'secp521r1'].includes(curve)) throw new SigningIdentityError(`EC curve ${curve ?? '(unknown)'} is not supported; use P-256 (prime256v1), P-384 or P-521`);
    keyAlgorithm = 'ec';
  } else throw new SigningIdentityError(`private key type ${t ?? '(unknown)'} is not supported for profile signing; use RSA or ECDSA P-256`);
  if (!keyMatchesCertificate(privateKey, certificate)) {
    throw new SigningIdentityError(`the private key does not belong to certificate ${oneLineName(certificate.subject)}; give the key that matches this certificate`);
  }
  const chain = buildIssuerChain(certificate, others.filter((c) => !c.raw.equals(certificate.raw)));
  return {
    certificate,
    certificateDer: Buffer.from(certificate.raw),
    chain,
    chainDer: chain.map((c) => Buffer.from(c.raw)),
    privateKey,
    keyAlgorithm,
    subject: oneLineName(certificate.subject),
  };
}

/** The storable form of an identity (contains the private key: seal it). */
export function exportSigningIdentity(id: SigningIdentity): StoredSigningIdentity {
  return {
    certificateDer: Buffer.from(id.certificateDer),
    chainDer: id.chainDer.map((d) => Buffer.from(d)),
    privateKeyPkcs8Der: id.privateKey.export({ type: 'pkcs8', format: 'der' }),
  };
}

/** Rebuilds a SigningIdentity from its stored form. Throws SigningIdentityError for bad DER or a mismatch. */
export function signingIdentityFromStored(s: StoredSigningIdentity): SigningIdentity {
  let cert: X509Certificate;
  let chain: X509Certificate[];
  let key: KeyObject;
  try {
    cert = new X509Certificate(s.certificateDer);
    chain = s.chainDer.map((d) => new X509Certificate(d));
  } catch (err) {
    throw new SigningIdentityError(`stored signing certificate is not valid DER (${(err as Error).message}); re-import the identity`);
  }
  try {
    key = createPrivateKey({ key: Buffer.from(s.privateKeyPkcs8Der), format: 'der', type: 'pkcs8' });
  } catch {
    throw new SigningIdentityError('stored private key is not valid PKCS#8 DER; re-import the identity');
  }
  return makeSigningIdentity(cert, key, chain);
}

/**
 * Builds an identity from PEM/DER inputs: `certificate` (one or more; the one matching the key is
 * the signer, the rest count as chain), `privateKey` (PEM PKCS#8/PKCS#1/SEC1 or DER PKCS#8; `passphrase`
 * for an encrypted PEM), optional extra `chain` certificates. Throws SigningIdentityError.
 */
export function signingIdentityFromPem(certificate: Uint8Array | string, privateKey: Uint8Array | string, chain?: Uint8Array | string, passphrase?: string): SigningIdentity {
  let certs: Buffer[];
  let extra: Buffer[] = [];
  try {
    certs = certificatesFromPemOrDer(certificate, 'signer certificate');
    if (chain) extra = certificatesFromPemOrDer(chain, 'chain certificate');
  } catch (err) {
    throw new SigningIdentityError((err as Error).message);
  }
  let key: KeyObject;
  try {
    const raw = typeof privateKey === 'string' ? privateKey : Buffer.from(privateKey);
    const isPem = (typeof raw === 'string' ? raw : raw.toString('latin1')).includes('-----BEGIN');
    key = isPem ? createPrivateKey({ key: raw, format: 'pem', passphrase }) : createPrivateKey({ key: raw as Buffer, format: 'der', type: 'pkcs8' });
  } catch (err) {
    const msg = (err as Error).message;
    if (/passphrase|decrypt|bad decrypt/i.test(msg)) throw new SigningIdentityError('the private key is encrypted and the passphrase is missing or wrong; give the key passphrase');
    throw new SigningIdentityError('the private key could not be read; give a PEM (PKCS#8, PKCS#1 or SEC1) or DER PKCS#8 key file');
  }
  const all = [...certs, ...extra].map((d) => new X509Certificate(d));
  const signer = all.find((c) => keyMatchesCertificate(key, c)) ?? all[0];
  return makeSigningIdentity(signer, key, all.filter((c) => c !== signer));
}
