/**
 * OAuth 1.0a request signing (RFC 5849) with HMAC-SHA1, as Apple requires for `GET /session`
 * (AppleDocs "Authenticating for Automated Device Enrollment": realm "ADM", consumer key/secret
 * and access token/secret from the server token).
 */
import crypto from 'node:crypto';

/** OAuth credentials: consumer key/secret and token/secret (from DepTokens). */
export interface OAuthCredentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

/** Per-request values: `timestamp` in whole seconds since the epoch, `nonce` unique per timestamp. */
export interface OAuthRequestValues {
  timestamp: number;
  nonce: string;
}

/** RFC 5849 §3.6 percent-encoding: every octet except ALPHA / DIGIT / "-" / "." / "_" / "~". */
export function oauthPercentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * RFC 5849 §3.4.1 signature base string: `METHOD&enc(base URI)&enc(normalized parameters)`.
 * `url` may carry a query (its parameters are included, §3.4.1.3.1); `extraParams` are the oauth_*
 * protocol parameters plus any form-encoded body parameters, as [name, value] pairs. The base
 * URI is lower-cased scheme and host, default ports dropped (§3.4.1.2).
 */
export function signatureBaseString(method: string, url: string, extraParams: [string, string][]): string {
  const u = new URL(url);
  const defaultPort = (u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443') || u.port === '';
  const base = `${u.protocol.toLowerCase()}//${u.hostname.toLowerCase()}${defaultPort ? '' : `:${u.port}`}${u.pathname}`;
  const params: [string, string][] = [];
  // RFC 5849 §3.4.1.3.1: query components are decoded as application/x-www-form-urlencoded.
  if (u.search.length > 1) {
    for (const part of u.search.slice(1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      params.push([formDecode(name), formDecode(value)]);
    }
  }
  params.push(...extraParams);
  const normalized = params
    .map(([k, v]) => [oauthPercentEncode(k), oauthPercentEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}&${oauthPercentEncode(base)}&${oauthPercentEncode(normalized)}`;
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/** RFC 5849 §3.4.2 HMAC-SHA1 signature (base64) of `baseString` with key `enc(cs)&enc(ts)`. */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${oauthPercentEncode(consumerSecret)}&${oauthPercentEncode(tokenSecret)}`;
  return crypto.createHmac('sha1', key).update(baseString).digest('base64');
}

/**
 * The `Authorization: OAuth …` header for one request (RFC 5849 §3.5.1), HMAC-SHA1, version 1.0.
 * `realm` is not signed (§3.4.1.3.1). Apple uses realm "ADM". `bodyParams` are form-encoded body
 * parameters to sign (none for Apple's GET /session).
 */
export function oauthAuthorizationHeader(
  method: string,
  url: string,
  creds: OAuthCredentials,
  values: OAuthRequestValues,
  realm = 'ADM',
  bodyParams: [string, string][] = [],
): string {
  const oauth: [string, string][] = [
    ['oauth_consumer_key', creds.consumerKey],
    ['oauth_token', creds.token],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(values.timestamp)],
    ['oauth_nonce', values.nonce],
    ['oauth_version', '1.0'],
  ];
  const signature = hmacSha1Signature(signatureBaseString(method, url, [...oauth, ...bodyParams]), creds.consumerSecret, creds.tokenSecret);
  const parts = [`realm="${oauthPercentEncode(realm)}"`, ...[...oauth, ['oauth_signature', signature] as [string, string]].map(([k, v]) => `${k}="${oauthPercentEncode(v)}"`)];
  return `OAuth ${parts.join(', ')}`;
}

/**
 * Parses an `Authorization: OAuth …` header into its decoded parameters (RFC 5849 §3.5.1).
 * Throws Error when the header is not an OAuth header, a parameter is malformed, or one is
 * duplicated (§3.5: a duplicated protocol parameter is a 400 in Apple's table).
 */
export function parseOAuthHeader(header: string): Map<string, string> {
  const m = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (!m) throw new Error('Authorization header is not an OAuth header');
  const out = new Map<string, string>();
  const re = /\s*([A-Za-z0-9_%.~-]+)="([^"]*)"\s*(,|$)/gy;
  let match: RegExpExecArray | null;
  let last = 0;
  while ((match = re.exec(m[1])) !== null) {
    const name = decodeURIComponent(match[1]);
    if (out.has(name)) throw new Error(`duplicated OAuth parameter ${name}`);
    out.set(name, decodeURIComponent(match[2]));
    last = re.lastIndex;
    if (match[3] === '') break;
  }
  if (last !== m[1].length) throw new Error('malformed OAuth Authorization header');
  return out;
}

/** A random 32-hex-digit nonce. */
export function randomNonce(): string {
  return crypto.randomBytes(16).toString('hex');
}
