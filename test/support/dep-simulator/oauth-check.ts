/**
 * The simulator's own OAuth 1.0a (RFC 5849) verification of `GET /session`, written
 * independently of main/dep/api/oauth.ts so a bug there is not mirrored here.
 */
import crypto from 'node:crypto';
import type { DepTokens } from '../../../main/dep/api/types';

/** RFC 3986 unreserved-only encoding (RFC 5849 §3.6). */
function enc(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** Outcome: ok, or an HTTP status and Apple-style error body. */
export type OAuthCheck = { ok: true } | { ok: false; status: 400 | 401; body: string };

/**
 * Verifies the Authorization header of a request to `fullUrl` with method `method` against
 * `tokens`. `seenNonces` records nonce+timestamp to refuse replays; `nowSec` bounds the
 * timestamp (±600 s).
 */
export function checkOAuth(header: string | undefined, method: string, fullUrl: string, tokens: DepTokens, seenNonces: Set<string>, nowSec: number): OAuthCheck {
  if (!header || !/^OAuth\s/i.test(header)) return { ok: false, status: 401, body: '"UNAUTHORIZED"' };
  const params = new Map<string, string>();
  for (const part of header.replace(/^OAuth\s+/i, '').split(',')) {
    const m = /^\s*([^=\s]+)="([^"]*)"\s*$/.exec(part);
    if (!m) return { ok: false, status: 400, body: '"BAD_REQUEST"' };
    const k = decodeURIComponent(m[1]);
    if (params.has(k)) return { ok: false, status: 400, body: '"BAD_REQUEST"' };
    params.set(k, decodeURIComponent(m[2]));
  }
  for (const k of ['oauth_consumer_key', 'oauth_token', 'oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce']) {
    if (!params.get(k)) return { ok: false, status: 400, body: '"BAD_REQUEST"' };
  }
  if (params.get('oauth_signature_method') !== 'HMAC-SHA1') return { ok: false, status: 400, body: '"BAD_REQUEST"' };
  if (params.get('oauth_consumer_key') !== tokens.consumer_key || params.get('oauth_token') !== tokens.access_token) return { ok: false, status: 401, body: '"UNAUTHORIZED"' };
  const ts = Number(params.get('oauth_timestamp'));
  if (!Number.isFinite(ts) || Math.abs(ts - nowSec) > 600) return { ok: false, status: 401, body: '"UNAUTHORIZED"' };
  const nonceKey = `${ts}:${params.get('oauth_nonce')}`;
  if (seenNonces.has(nonceKey)) return { ok: false, status: 401, body: '"UNAUTHORIZED"' };
  const u = new URL(fullUrl);
  const pairs: [string, string][] = [];
  for (const [k, v] of u.searchParams) pairs.push([enc(k), enc(v)]);
  for (const [k, v] of params) if (k !== 'realm' && k !== 'oauth_signature') pairs.push([enc(k), enc(v)]);
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  const base = [method.toUpperCase(), enc(`${u.protocol}//${u.host}${u.pathname}`), enc(pairs.map(([k, v]) => `${k}=${v}`).join('&'))].join('&');
  const expected = crypto.createHmac('sha1', `${enc(tokens.consumer_secret)}&${enc(tokens.access_secret)}`).update(base).digest();
  const given = Buffer.from(params.get('oauth_signature')!, 'base64');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { ok: false, status: 401, body: '"UNAUTHORIZED"' };
  seenNonces.add(nonceKey);
  return { ok: true };
}
