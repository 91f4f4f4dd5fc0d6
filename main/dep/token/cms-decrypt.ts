/**
 * Decryption of the CMS EnvelopedData inside a server token (RFC 5652 §6; AppleDocs "Examining
 * server tokens"). Parsing uses node-forge's BER reader (indefinite lengths, constructed OCTET
 * STRING chunks); key transport and content decryption use node:crypto.
 *
 * Supported: KeyTransRecipientInfo identified by IssuerAndSerialNumber (any serial sign, incl.
 * Apple's negative serials) or SubjectKeyIdentifier; key transport rsaEncryption (PKCS#1 v1.5)
 * and id-RSAES-OAEP (SHA-1/224/256/384/512); content aes-128/192/256-cbc and des-ede3-cbc.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { ServerTokenError } from './errors';

const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const OID_RSAES_OAEP = '1.2.840.113549.1.1.7';

/** Content-encryption algorithms: OID → node cipher name and key length in bytes. */
const CONTENT_CIPHERS: Record<string, { cipher: string; keyBytes: number; label: string }> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyBytes: 16, label: 'AES-128-CBC' },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyBytes: 24, label: 'AES-192-CBC' },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyBytes: 32, label: 'AES-256-CBC' },
  '1.2.840.113549.3.7': { cipher: 'des-ede3-cbc', keyBytes: 24, label: '3DES-CBC' },
};

/** OAEP hash OIDs → node digest names. */
const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** The server's key material used to open its token: PEM private key (secret) and PEM certificate. */
export interface RecipientKey {
  privateKeyPem: string;
  certificatePem: string;
}

/** What was decrypted, for display and tests: algorithms and the recipient that matched. */
export interface DecryptedEnvelope {
  plaintext: Buffer;
  keyTransport: 'rsaes-pkcs1-v1_5' | 'rsaes-oaep';
  contentCipher: string;
}

type Asn1 = forge.asn1.Asn1;

/**
 * Decrypts `cms` (BER or DER ContentInfo of an EnvelopedData) for `recipient`. Throws
 * ServerTokenError: `format` (not CMS / not EnvelopedData / malformed), `recipient` (no
 * RecipientInfo for this certificate — the token was made for another public key), `decrypt`
 * (key or content decryption failed: wrong key or corrupt file), `unsupported` (algorithm).
 */
export function decryptEnvelopedData(cms: Buffer, recipient: RecipientKey): DecryptedEnvelope {
  let root: Asn1;
  try {
    root = forge.asn1.fromDer(forge.util.createBuffer(cms.toString('binary')), true);
  } catch (err) {
    throw new ServerTokenError(`the token file does not hold a valid CMS structure (${(err as Error).message}); the file is corrupt — download the server token again`, 'format');
  }
  const ci = children(root, 'ContentInfo');
  const contentType = oidOf(ci[0], 'ContentInfo.contentType');
  if (contentType === OID_SIGNED_DATA) throw new ServerTokenError('the file is a signed message, not an encrypted server token; choose the *_smime.p7m server token', 'format');
  if (contentType !== OID_ENVELOPED_DATA) throw new ServerTokenError(`the file holds CMS content ${contentType}, not EnvelopedData; choose the *_smime.p7m server token`, 'format');
  if (!ci[1] || ci[1].tagClass !== forge.asn1.Class.CONTEXT_SPECIFIC || ci[1].type !== 0) fail('ContentInfo has no [0] content');
  const env = children(children(ci[1], 'ContentInfo.content')[0], 'EnvelopedData');
  let i = 1; // skip version
  if (env[i] && env[i].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && env[i].type === 0) i++; // originatorInfo
  const recipientInfos = children(env[i], 'recipientInfos');
  const encryptedContentInfo = children(env[i + 1], 'encryptedContentInfo');

  const cert = certificateIds(recipient.certificatePem);
  const ktris = recipientInfos.filter((ri) => ri.tagClass === forge.asn1.Class.UNIVERSAL && ri.type === forge.asn1.Type.SEQUENCE);
  if (ktris.length === 0) throw new ServerTokenError('the token has no RSA key-transport recipient (only key-agreement or password recipients); Apple server tokens use RSA — download the token again', 'unsupported');
  const mine = ktris.find((ri) => ridMatches(children(ri, 'KeyTransRecipientInfo')[1], cert));
  if (!mine) {
    const names = ktris.map((ri) => describeRid(children(ri, 'KeyTransRecipientInfo')[1])).join('; ');
    throw new ServerTokenError(`this server token was encrypted for a different public key (${names}), not this server's certificate (${cert.description}); upload the token to the server whose public key was given to Apple Business Manager, or upload this server's public key in ABM and download a new token`, 'recipient');
  }
  const [, , keyAlg, encryptedKeyNode] = children(mine, 'KeyTransRecipientInfo');
  const keyAlgParts = children(keyAlg, 'keyEncryptionAlgorithm');
  const keyAlgOid = oidOf(keyAlgParts[0], 'keyEncryptionAlgorithm');
  const encryptedKey = octets(encryptedKeyNode, 'encryptedKey');
  const privateKey = crypto.createPrivateKey(recipient.privateKeyPem);
  let cek: Buffer;
  let keyTransport: DecryptedEnvelope['keyTransport'];
  try {
    if (keyAlgOid === OID_RSA_ENCRYPTION) {
      keyTransport = 'rsaes-pkcs1-v1_5';
      cek = crypto.privateDecrypt({ key: privateKey, padding: crypto.constants.RSA_PKCS1_PADDING }, encryptedKey);
    } else if (keyAlgOid === OID_RSAES_OAEP) {
      keyTransport = 'rsaes-oaep';
      const hash = oaepHash(keyAlgParts[1]);
      cek = crypto.privateDecrypt({ key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, encryptedKey);
    } else {
      throw new ServerTokenError(`the token's key transport algorithm ${keyAlgOid} is not supported (expected RSA PKCS#1 v1.5 or OAEP)`, 'unsupported');
    }
  } catch (err) {
    if (err instanceof ServerTokenError) throw err;
    throw new ServerTokenError("the token's content key cannot be decrypted with this server's private key: the token was made for another key or is corrupt; download a new token after uploading this server's public key", 'decrypt');
  }

  const algParts = children(encryptedContentInfo[1], 'contentEncryptionAlgorithm');
  const algOid = oidOf(algParts[0], 'contentEncryptionAlgorithm');
  const c = CONTENT_CIPHERS[algOid];
  if (!c) throw new ServerTokenError(`the token's content encryption ${algOid} is not supported (expected AES-128/192/256-CBC or 3DES-CBC)`, 'unsupported');
  const iv = octets(algParts[1], 'content-encryption IV');
  const ecNode = encryptedContentInfo[2];
  if (!ecNode || ecNode.tagClass !== forge.asn1.Class.CONTEXT_SPECIFIC || ecNode.type !== 0) fail('the token has no encrypted content (detached content is not supported)');
  const ciphertext = octets(ecNode, 'encryptedContent');
  if (cek.length !== c.keyBytes) {
    throw new ServerTokenError("the token's content key does not decrypt with this server's private key (wrong key length): the token was made for another key or is corrupt", 'decrypt');
  }
  try {
    const decipher = crypto.createDecipheriv(c.cipher, cek, iv);
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return { plaintext, keyTransport, contentCipher: c.label };
  } catch {
    throw new ServerTokenError("the token's content does not decrypt (bad padding): the file is corrupt or was made for another key; download the server token again", 'decrypt');
  }
}

interface CertIds {
  issuerDer: string;
  serial: bigint;
  ski: string | undefined;
  description: string;
}

function certificateIds(pem: string): CertIds {
  const der = new crypto.X509Certificate(pem).raw;
  const cert = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const tbs = children(cert, 'Certificate')[0];
  const t = children(tbs, 'tbsCertificate');
  const off = t[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const serial = signedInt(t[off].value as string);
  const issuerDer = forge.asn1.toDer(t[off + 2]).getBytes();
  let ski: string | undefined;
  try {
    const ext = forge.pki.certificateFromAsn1(cert).getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null;
    ski = ext?.subjectKeyIdentifier?.toLowerCase();
  } catch {
    ski = undefined;
  }
  return { issuerDer, serial, ski, description: `serial ${serial}` };
}

function ridMatches(rid: Asn1 | undefined, cert: CertIds): boolean {
  if (!rid) return false;
  if (rid.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && rid.type === 0) {
    const ski = Buffer.from(typeof rid.value === 'string' ? rid.value : forge.asn1.toDer((rid.value as Asn1[])[0]).getBytes(), 'binary').toString('hex');
    return cert.ski !== undefined && ski === cert.ski;
  }
  const parts = children(rid, 'IssuerAndSerialNumber');
  if (parts.length < 2 || parts[1].type !== forge.asn1.Type.INTEGER) return false;
  return forge.asn1.toDer(parts[0]).getBytes() === cert.issuerDer && signedInt(parts[1].value as string) === cert.serial;
}

function describeRid(rid: Asn1 | undefined): string {
  if (!rid) return 'unknown recipient';
  if (rid.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC) return 'recipient by subject key identifier';
  const parts = rid.value as Asn1[];
  return Array.isArray(parts) && parts[1] ? `recipient serial ${signedInt(parts[1].value as string)}` : 'unknown recipient';
}

/** Two's-complement big-endian INTEGER content → bigint (so 0xFB = −5 = 0xFFFB). */
function signedInt(bytes: string): bigint {
  if (bytes.length === 0) return 0n;
  let v = BigInt(`0x${Buffer.from(bytes, 'binary').toString('hex')}`);
  if (bytes.charCodeAt(0) & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

function oaepHash(params: Asn1 | undefined): string {
  // RSAES-OAEP-params (RFC 4055): [0] hashAlgorithm (default sha1), [1] maskGen (MGF1 with the
  // same hash is all node supports), [2] pSource (empty label).
  if (!params || params.type === forge.asn1.Type.NULL) return 'sha1';
  let hash = 'sha1';
  for (const p of children(params, 'RSAES-OAEP-params')) {
    if (p.tagClass !== forge.asn1.Class.CONTEXT_SPECIFIC) continue;
    if (p.type === 0) {
      const oid = oidOf(children(children(p, 'hashAlgorithm')[0], 'AlgorithmIdentifier')[0], 'hashAlgorithm');
      const h = HASHES[oid];
      if (!h) throw new ServerTokenError(`the token's OAEP hash ${oid} is not supported`, 'unsupported');
      hash = h;
    } else if (p.type === 1) {
      const mgf = children(children(p, 'maskGenAlgorithm')[0], 'AlgorithmIdentifier');
      const mgfHash = mgf[1] ? HASHES[oidOf(children(mgf[1], 'MGF1 hash')[0], 'MGF1 hash')] : 'sha1';
      if (mgfHash !== hash) throw new ServerTokenError(`the token uses OAEP with ${hash} but MGF1 with ${mgfHash}; StageBench supports OAEP with the same hash for both`, 'unsupported');
    } else if (p.type === 2) {
      throw new ServerTokenError('the token uses an OAEP label (pSourceAlgorithm); this is not supported', 'unsupported');
    }
  }
  return hash;
}

function fail(what: string): never {
  throw new ServerTokenError(`the token file's CMS structure is malformed (${what}); the file is corrupt — download the server token again`, 'format');
}

function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !node.constructed || !Array.isArray(node.value)) fail(`${what} is not a constructed value`);
  return node.value as Asn1[];
}

function oidOf(node: Asn1 | undefined, what: string): string {
  if (!node || node.type !== forge.asn1.Type.OID || typeof node.value !== 'string') fail(`${what} is not an OBJECT IDENTIFIER`);
  return forge.asn1.derToOid(node.value as string);
}

/** OCTET STRING content, primitive or constructed from chunks (BER), as one Buffer. */
function octets(node: Asn1 | undefined, what: string): Buffer {
  if (!node) fail(`${what} is missing`);
  if (!node.constructed) {
    if (typeof node.value !== 'string') fail(`${what} is not an OCTET STRING`);
    return Buffer.from(node.value as string, 'binary');
  }
  return Buffer.concat((node.value as Asn1[]).map((c) => octets(c, what)));
}
