/**
 * Certificates of a DEP profile's `anchor_certs` and `supervising_host_certs` (AppleDocs `profile`
 * object: arrays of base64-encoded DER X.509 certificates): reading a certificate file the admin
 * picked (PEM — one or more `BEGIN CERTIFICATE` blocks — or DER) into the base64-DER entries the
 * form stores, with what the editor shows of each (subject, validity, SHA-256 fingerprint).
 * Parsing uses node:crypto's X509Certificate (main/profiles/certificates.ts).
 */
import { X509Certificate } from 'node:crypto';
import { certificatesFromPemOrDer, summariseCertificate, type CertificateSummary } from '../../profiles/certificates';

/** One certificate of a profile's certificate list, as the editor lists it. */
export interface DepCertificateInfo extends CertificateSummary {
  /** The certificate as Apple wants it in `anchor_certs` / `supervising_host_certs`: base64 DER, no whitespace. */
  base64Der: string;
  /** True when `notAfter` is before the inspection time. */
  expired: boolean;
}

/**
 * Thrown by {@link inspectCertificateFile} when the bytes are not a PEM or DER certificate.
 * `code` E_NOT_A_CERTIFICATE reaches the renderer through the IPC envelope.
 */
export class NotACertificateError extends Error {
  readonly code = 'E_NOT_A_CERTIFICATE';
  readonly exitCode = 2;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotACertificateError';
  }
}

/**
 * Reads the certificates of a certificate file: PEM text (every `BEGIN CERTIFICATE` block, so a
 * bundle yields several) or one DER certificate. `now` decides `expired` (default: the current time).
 * Throws {@link NotACertificateError} (naming `fileName` when given) when the bytes are empty, hold
 * no certificate, or a block does not parse — e.g. a private key, a PKCS#12 or a text file.
 */
export function inspectCertificateFile(bytes: Uint8Array, fileName?: string, now: Date = new Date()): DepCertificateInfo[] {
  const what = fileName ? `"${fileName}"` : 'the file';
  if (bytes.byteLength === 0) throw new NotACertificateError(`${what} is empty; choose a PEM or DER certificate file (.pem, .cer, .crt, .der)`);
  let ders: Buffer[];
  try {
    ders = certificatesFromPemOrDer(bytes, what);
  } catch (err) {
    const detail = (err as Error).message;
    const pem = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').includes('-----BEGIN');
    throw new NotACertificateError(pem ? detail : `${what} is not a certificate: it is neither PEM text nor a DER X.509 certificate; choose a .pem, .cer, .crt or .der certificate file`, { cause: err });
  }
  return ders.map((der) => {
    const summary = summariseCertificate(new X509Certificate(der));
    return { ...summary, base64Der: der.toString('base64'), expired: new Date(summary.notAfter) < now };
  });
}
