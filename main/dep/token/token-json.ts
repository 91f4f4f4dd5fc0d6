/**
 * Extraction of the OAuth token JSON from a decrypted server token (AppleDocs "Examining server
 * tokens"; NanoDEP `tokenpki.UnwrapTokenJSON`): skip the MIME headers (`Content-Type:
 * text/plain;charset=UTF-8`, `Content-Transfer-Encoding: 7bit`), join the remaining lines without
 * newlines (Apple wraps the JSON, even inside string values), strip `-----BEGIN MESSAGE-----` /
 * `-----END MESSAGE-----`, parse.
 */
import type { DepTokens } from '../api/types';
import { ServerTokenError } from './errors';

const FIELDS = ['consumer_key', 'consumer_secret', 'access_token', 'access_secret', 'access_token_expiry'] as const;

/**
 * Parses the decrypted token text into DepTokens. Throws ServerTokenError(`content`) naming the
 * missing/empty field, or saying the content is not token JSON, or that `access_token_expiry` is
 * not a date. Never puts secret values in messages.
 */
export function parseTokenPlaintext(plaintext: Buffer | string): DepTokens {
  let text = (typeof plaintext === 'string' ? plaintext : plaintext.toString('utf8')).replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  // MIME headers end at the first empty line, if the text starts with a header.
  if (lines.length && /^[A-Za-z-]+:\s/.test(lines[0]) && !lines[0].trimStart().startsWith('{')) {
    const blank = lines.findIndex((l) => l.trim() === '');
    lines.splice(0, blank < 0 ? lines.length : blank + 1);
  }
  text = lines.join('');
  const begin = text.indexOf('-----BEGIN MESSAGE-----');
  if (begin >= 0) {
    text = text.slice(begin + '-----BEGIN MESSAGE-----'.length);
    const end = text.indexOf('-----END MESSAGE-----');
    if (end < 0) throw new ServerTokenError('the decrypted token has "-----BEGIN MESSAGE-----" but no "-----END MESSAGE-----": the token is truncated; download it again', 'content');
    text = text.slice(0, end);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.trim());
  } catch {
    throw new ServerTokenError('the decrypted token does not contain the token JSON (consumer_key, consumer_secret, access_token, access_secret); this is not an ABM server token', 'content');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ServerTokenError('the decrypted token is not a JSON object; this is not an ABM server token', 'content');
  const obj = json as Record<string, unknown>;
  const missing = FIELDS.filter((f) => typeof obj[f] !== 'string' || (obj[f] as string).trim() === '');
  if (missing.length) throw new ServerTokenError(`the server token has no ${missing.join(', ')}; download a new server token from Apple Business Manager`, 'content');
  const expiry = (obj.access_token_expiry as string).trim();
  if (Number.isNaN(Date.parse(expiry))) throw new ServerTokenError(`the server token's access_token_expiry "${expiry}" is not a date; download a new server token`, 'content');
  return {
    consumer_key: (obj.consumer_key as string).trim(),
    consumer_secret: (obj.consumer_secret as string).trim(),
    access_token: (obj.access_token as string).trim(),
    access_secret: (obj.access_secret as string).trim(),
    access_token_expiry: new Date(expiry).toISOString(),
  };
}
