/**
 * CMS SignedData (RFC 5652) signing of configuration profiles, as Apple devices expect for signed
 * `.mobileconfig` files (profiles-and-tenant-api.md §6.3): content attached (eContentType id-data),
 * SHA-256 digest, signed attributes contentType / signingTime / messageDigest, certificates =
 * signer + intermediates (not the self-signed root, as `openssl smime -certfile` and MDMMagic do),
 * signature by node:crypto — RSA PKCS#1 v1.5 (sha256WithRSAEncryption) or ECDSA
 * (ecdsa-with-SHA256, DER-encoded Ecdsa-Sig-Value). Output is DER.
 *
 * Per identity the certificate bytes, IssuerAndSerialNumber and algorithm identifiers are
 * prepared once (cached in a WeakMap), so a signature costs one SHA-256, one private-key operation
 * and a few Buffer concatenations.
 */
import { createHash, sign as cryptoSign } from 'node:crypto';
import { isSelfSigned } from './certificates';
import { DER_NULL, derOid, derSmallInt, derTime, issuerAndSerialNumber, OID, tlv } from './der';
import type { SigningIdentity } from './identity';

interface Prepared {
  certificates: Buffer;
  issuerAndSerial: Buffer;
  signatureAlgorithm: Buffer;
}

const DIGEST_ALG = tlv(0x30, derOid(OID.sha256));
const DIGEST_ALGS_SET = tlv(0x31, DIGEST_ALG);
const OID_DATA = derOid(OID.data);
const OID_SIGNED_DATA = derOid(OID.signedData);
const ATTR_CONTENT_TYPE = tlv(0x30, derOid(OID.contentType), tlv(0x31, OID_DATA));
const OID_MESSAGE_DIGEST = derOid(OID.messageDigest);
const OID_SIGNING_TIME = derOid(OID.signingTime);
const VERSION_1 = derSmallInt(1);

const prepared = new WeakMap<SigningIdentity, Prepared>();

function prepare(id: SigningIdentity): Prepared {
  let p = prepared.get(id);
  if (!p) {
    // Signer first, then intermediates; the self-signed root is left out (the device has it or
    // gets it from a com.apple.security.root payload).
    const certs = [id.certificateDer, ...id.chainDer.filter((_, i) => !isSelfSigned(id.chain[i]))];
    p = {
      certificates: tlv(0xa0, ...certs),
      issuerAndSerial: issuerAndSerialNumber(id.certificateDer),
      signatureAlgorithm: id.keyAlgorithm === 'rsa' ? tlv(0x30, derOid(OID.sha256WithRSAEncryption), DER_NULL) : tlv(0x30, derOid(OID.ecdsaWithSHA256)),
    };
    prepared.set(id, p);
  }
  return p;
}

/** Options for {@link signProfile}. `signingTime` defaults to now (whole seconds are encoded). */
export interface SignOptions {
  signingTime?: Date;
}

/**
 * Signs profile bytes (normally the unsigned XML plist) and returns the CMS SignedData DER with
 * the content attached. Throws TypeError for empty content or an invalid signingTime; errors
 * from node:crypto (e.g. a key that cannot sign) propagate.
 */
export function signProfile(content: Uint8Array, identity: SigningIdentity, options: SignOptions = {}): Buffer {
  const data = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (data.length === 0) throw new TypeError('nothing to sign: the profile content is empty');
  const when = options.signingTime ?? new Date();
  if (Number.isNaN(when.getTime())) throw new TypeError('signingTime is not a valid date');
  const p = prepare(identity);

  const digest = createHash('sha256').update(data).digest();
  // DER SET OF: attributes sorted by their encodings (X.690 §11.6).
  const attrs = [
    ATTR_CONTENT_TYPE,
    tlv(0x30, OID_SIGNING_TIME, tlv(0x31, derTime(when))),
    tlv(0x30, OID_MESSAGE_DIGEST, tlv(0x31, tlv(0x04, digest))),
  ].sort(Buffer.compare);
  const attrBody = Buffer.concat(attrs);
  const signature = cryptoSign('sha256', tlv(0x31, attrBody), identity.privateKey);

  const signerInfo = tlv(0x30, VERSION_1, p.issuerAndSerial, DIGEST_ALG, tlv(0xa0, attrBody), p.signatureAlgorithm, tlv(0x04, signature));
  const signedData = tlv(0x30, VERSION_1, DIGEST_ALGS_SET, tlv(0x30, OID_DATA, tlv(0xa0, tlv(0x04, data))), p.certificates, tlv(0x31, signerInfo));
  return tlv(0x30, OID_SIGNED_DATA, tlv(0xa0, signedData));
}
