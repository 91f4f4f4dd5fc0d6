/**
 * Unwrapping of the server token file Apple Business Manager hands out (`<name>_Token_<date>_smime.p7m`):
 * an S/MIME message (RFC 8551) whose headers are `Content-Type: application/pkcs7-mime;
 * smime-type=enveloped-data` and `Content-Transfer-Encoding: base64`, then a base64 body holding
 * a CMS EnvelopedData (AppleDocs "Examining server tokens"; commandment `dep/smime.py`).
 * Also accepted: the raw DER/BER, and PEM (`-----BEGIN PKCS7-----` / `CMS`).
 */
import { ServerTokenError } from './errors';

/**
 * Returns the CMS (BER/DER) bytes inside a token file. Throws ServerTokenError(`format`) when the
 * file is empty, is a different MIME type, uses a transfer encoding other than base64, or its
 * body is not base64.
 */
export function unwrapSmime(file: Uint8Array): Buffer {
  const buf = Buffer.from(file);
  if (buf.length === 0) throw new ServerTokenError('the token file is empty; download the server token (.p7m) from Apple Business Manager again', 'format');
  if (buf[0] === 0x30) return buf; // raw DER/BER ContentInfo
  const text = buf.toString('latin1');
  const pem = /-----BEGIN (PKCS7|CMS)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (pem) return decodeBase64Strict(pem[2], 'PEM body');
  const sep = /\r?\n\r?\n/.exec(text);
  const headerBlock = sep ? text.slice(0, sep.index) : '';
  const headers = parseHeaders(headerBlock);
  if (headers.size === 0) {
    // No MIME headers: a bare base64 body is accepted.
    return decodeBase64Strict(text, 'file');
  }
  const type = headers.get('content-type') ?? '';
  if (!/application\/(x-)?pkcs7-mime/i.test(type)) {
    throw new ServerTokenError(`the token file is not an S/MIME encrypted message (Content-Type "${type || 'missing'}"); choose the *_smime.p7m file downloaded from Apple Business Manager`, 'format');
  }
  if (/smime-type\s*=\s*"?([\w-]+)/i.test(type) && !/smime-type\s*=\s*"?enveloped-data/i.test(type)) {
    throw new ServerTokenError(`the token file is S/MIME but not enveloped-data (${type}); choose the server token downloaded from Apple Business Manager`, 'format');
  }
  const cte = (headers.get('content-transfer-encoding') ?? 'base64').trim().toLowerCase();
  if (cte !== 'base64') throw new ServerTokenError(`the token file uses Content-Transfer-Encoding "${cte}"; Apple's token files are base64 — download it again`, 'format');
  return decodeBase64Strict(text.slice(sep!.index + sep![0].length), 'S/MIME body');
}

/** RFC 5322-style header block → lower-case name → value (folded lines joined). */
function parseHeaders(block: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = block.split(/\r?\n/);
  let current: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && current) {
      out.set(current, `${out.get(current)} ${line.trim()}`);
      continue;
    }
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (!m) return new Map(); // not a header block at all
    current = m[1].toLowerCase();
    out.set(current, m[2].trim());
  }
  return out;
}

function decodeBase64Strict(s: string, what: string): Buffer {
  const compact = s.replace(/[\r\n\t ]+/g, '');
  if (compact.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new ServerTokenError(`the token file's ${what} is not valid base64 (the file is corrupt or truncated); download the server token from Apple Business Manager again`, 'format');
  }
  return Buffer.from(compact, 'base64');
}
