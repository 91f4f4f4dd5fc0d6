/**
 * Importing an existing supervision identity: a PKCS#12 (.p12, as go-ios `--certfile` and
 * Apple Configurator's export), or the DER certificate + DER private key pair cfgutil takes as
 * `-C cert.der -K key.der` (the key as PKCS#8, PKCS#1 RSA or SEC1 EC DER; PEM is accepted too).
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { importPkcs12, makeSigningIdentity, type SigningIdentity } from '../profiles';
import { OrganizationInputError } from './errors';

/** Imports a .p12 with `password`. Throws Pkcs12PasswordError / Pkcs12ContentError / SigningIdentityError (main/profiles). */
export function supervisionIdentityFromPkcs12(p12: Uint8Array, password: string): SigningIdentity {
  return importPkcs12(p12, password);
}

function readKey(bytes: Buffer): KeyObject {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN')) {
    if (text.includes('ENCRYPTED')) throw new OrganizationInputError('the private key file is encrypted; export it without a passphrase (openssl pkey -in key.pem -outform DER -out key.der) or import a .p12 instead');
    return createPrivateKey({ key: text, format: 'pem' });
  }
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: bytes, format: 'der', type });
    } catch {
      /* try the next encoding */
    }
  }
  throw new OrganizationInputError('the private key is neither PKCS#8, PKCS#1 (RSA) nor SEC1 (EC) DER, nor PEM; export the supervision key as DER (cfgutil -K key.der)');
}

/**
 * Builds the identity from a certificate (DER or PEM) and its private key (see module comment).
 * Throws OrganizationInputError for unreadable files, SigningIdentityError when the key does not
 * match the certificate or its type is unsupported.
 */
export function supervisionIdentityFromDer(certificate: Uint8Array, privateKey: Uint8Array): SigningIdentity {
  const certBytes = Buffer.from(certificate);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certBytes);
  } catch {
    throw new OrganizationInputError('the certificate is neither DER nor PEM X.509; export the organization certificate as DER (cfgutil -C cert.der)');
  }
  return makeSigningIdentity(cert, readKey(Buffer.from(privateKey)));
}
