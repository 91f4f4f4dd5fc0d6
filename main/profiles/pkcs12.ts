/**
 * PKCS#12 (RFC 7292) identity import for profile signing. node-forge parses the PFX, checks the
 * MAC and decrypts the bags — both OpenSSL 3's default (PBES2 / AES-256-CBC, PBKDF2-HMAC-SHA256,
 * SHA-256 MAC) and the legacy format (RC2-40 / 3DES, SHA-1 MAC). forge only models RSA keys and
 * certificates, so for EC identities we take the decrypted PKCS#8 PrivateKeyInfo and certificate
 * ASN.1 it hands back and load them with node:crypto (createPrivateKey / X509Certificate).
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { keyMatchesCertificate, makeSigningIdentity, type SigningIdentity } from './identity';
import { Pkcs12ContentError, Pkcs12PasswordError, SigningIdentityError } from './errors';

interface ForgeBag {
  type: string;
  key?: forge.pki.PrivateKey | null;
  cert?: forge.pki.Certificate | null;
  asn1?: forge.asn1.Asn1;
}

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/**
 * Imports the identity of a PKCS#12 file (`bytes`, DER) protected by `password`. Returns a
 * SigningIdentity whose certificate is the one matching the key; other certificates in the file
 * become the chain (nearest issuer first). RSA and ECDSA (P-256/384/521) keys are supported.
 *
 * Throws Pkcs12PasswordError for a wrong password; Pkcs12ContentError when the bytes are not a
 * PKCS#12, or it holds no private key, no certificate, or no certificate for the key;
 * SigningIdentityError for an unsupported key type. Error messages never contain the password.
 */
export function importPkcs12(bytes: Uint8Array, password: string): SigningIdentity {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length === 0) throw new Pkcs12ContentError('the PKCS#12 file is empty; export the identity again (.p12 / .pfx)');
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(buf.toString('binary')), false);
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/password|MAC could not be verified|decrypt/i.test(msg)) throw new Pkcs12PasswordError();
    throw new Pkcs12ContentError(`the file is not a readable PKCS#12 (.p12/.pfx): ${msg}. Export the identity again as PKCS#12`);
  }
  const bags: ForgeBag[] = pfx.safeContents.flatMap((sc) => sc.safeBags as ForgeBag[]);
  const keys: KeyObject[] = [];
  const certs: X509Certificate[] = [];
  for (const bag of bags) {
    if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
      let pkcs8: Buffer;
      if (bag.key) pkcs8 = derOf(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey)));
      else if (bag.asn1) pkcs8 = derOf(bag.asn1);
      else continue;
      try {
        keys.push(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
      } catch (err) {
        throw new SigningIdentityError(`the PKCS#12 private key could not be loaded (${(err as Error).message}); use an RSA or ECDSA P-256 identity`);
      }
    } else if (bag.type === forge.pki.oids.certBag) {
      const der = bag.cert ? derOf(forge.pki.certificateToAsn1(bag.cert)) : bag.asn1 ? derOf(bag.asn1) : undefined;
      if (!der) continue;
      try {
        certs.push(new X509Certificate(der));
      } catch (err) {
        throw new Pkcs12ContentError(`a certificate in the PKCS#12 does not parse (${(err as Error).message})`);
      }
    }
  }
  if (keys.length === 0) throw new Pkcs12ContentError('the PKCS#12 holds no private key (certificate-only export?); export the identity with its private key');
  if (certs.length === 0) throw new Pkcs12ContentError('the PKCS#12 holds no certificate (key-only export?); export the identity with its certificate');
  for (const key of keys) {
    const signer = certs.find((c) => {
      try {
        return keyMatchesCertificate(key, c);
      } catch {
        return false;
      }
    });
    if (signer) return makeSigningIdentity(signer, key, certs.filter((c) => c !== signer));
  }
  throw new Pkcs12ContentError('no certificate in the PKCS#12 matches its private key; export the identity (certificate + its key) again');
}
