/**
 * X.509 helpers shared by the builder (anchor payloads, `com.apple.security.root`), the PKCS#12
 * import and verification. Parsing and checks use node:crypto's X509Certificate (OpenSSL).
 */
import { X509Certificate, createHash } from 'node:crypto';

/** Summary of one certificate as reported by verification (`chain[]`) and the UI. */
export interface CertificateSummary {
  /** Subject in OpenSSL one-line form, e.g. `/CN=Signer/O=Example`. */
  subject: string;
  issuer: string;
  /** ISO 8601 UTC. */
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the DER, upper-case hex with colons (`AB:CD:…`). */
  fingerprintSha256: string;
  serialNumber: string;
}

const PEM_CERT = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/**
 * Extracts DER certificates from PEM text (one or more `BEGIN CERTIFICATE` blocks) or a single
 * DER certificate. Each is parsed to make sure it is a certificate. Throws Error naming `what`
 * when the bytes hold no certificate or a block does not parse.
 */
export function certificatesFromPemOrDer(bytes: Uint8Array | string, what = 'certificate'): Buffer[] {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('latin1');
  const out: Buffer[] = [];
  if (text.includes('-----BEGIN')) {
    for (const m of text.matchAll(PEM_CERT)) out.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
    if (out.length === 0) throw new Error(`${what}: PEM text holds no "BEGIN CERTIFICATE" block; give a PEM or DER certificate file`);
  } else {
    out.push(Buffer.from(buf));
  }
  for (const [i, der] of out.entries()) {
    try {
      new X509Certificate(der);
    } catch (err) {
      throw new Error(`${what}${out.length > 1 ? ` #${i + 1}` : ''} is not a valid X.509 certificate (${(err as Error).message}); give a PEM or DER certificate file`, { cause: err });
    }
  }
  return out;
}

/** OpenSSL one-line form of an X509Certificate name (`C=US\nO=x` → `/C=US/O=x`). */
export function oneLineName(name: string): string {
  return name
    .split('\n')
    .filter(Boolean)
    .map((part) => `/${part}`)
    .join('');
}

/** SHA-256 fingerprint of DER bytes, upper-case hex with colons. */
export function fingerprintSha256(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/** Summarises a certificate (subject, issuer, validity, SHA-256 fingerprint, serial). */
export function summariseCertificate(cert: X509Certificate): CertificateSummary {
  return {
    subject: oneLineName(cert.subject),
    issuer: oneLineName(cert.issuer),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    fingerprintSha256: fingerprintSha256(cert.raw),
    serialNumber: cert.serialNumber,
  };
}

/** The certificate's subject CN, or its whole one-line subject when there is no CN. */
export function commonName(cert: X509Certificate): string {
  const m = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject);
  return m ? m[1] : oneLineName(cert.subject);
}

/** True when the certificate is self-issued and its signature verifies with its own key (a root). */
export function isSelfSigned(cert: X509Certificate): boolean {
  try {
    return cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

/**
 * Orders `pool` into the issuer chain above `leaf`: each next certificate issued `leaf`'s
 * current top and verifies its signature. Stops at a self-signed certificate or when no issuer is
 * found. Returns the chain without `leaf`; certificates not on the path are left out.
 */
export function buildIssuerChain(leaf: X509Certificate, pool: X509Certificate[]): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let cur = leaf;
  const left = [...pool];
  while (!isSelfSigned(cur)) {
    const idx = left.findIndex((c) => {
      try {
        return cur.checkIssued(c) && cur.verify(c.publicKey);
      } catch {
        return false;
      }
    });
    if (idx < 0) break;
    cur = left.splice(idx, 1)[0];
    chain.push(cur);
  }
  return chain;
}
