import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hmacSha1Signature, oauthAuthorizationHeader, oauthPercentEncode, parseOAuthHeader, signatureBaseString,
} from '../../main/dep';
import { checkOAuth } from '../support/dep-simulator';

// RFC 5849 §3.4.1.1: the worked signature base string example.
test('RFC 5849 §3.4.1.1 signature base string, including query, body and protocol parameters', () => {
  const base = signatureBaseString('POST', 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', [
    ['oauth_consumer_key', '9djdj82h48djs9d2'],
    ['oauth_token', 'kkk9d7dh3k39sjv7'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '137131201'],
    ['oauth_nonce', '7d8f3e4a'],
    ['c2', ''],
    ['a3', '2 q'],
  ]);
  assert.equal(
    base,
    'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
  );
});

// The widely used published HMAC-SHA1 vector of Twitter's "Creating a signature" guide (OAuth 1.0a,
// query + body parameters, oauth_version 1.0): base string and signature.
test('published HMAC-SHA1 vector (Twitter "Creating a signature"): base string and signature', () => {
  const base = signatureBaseString('POST', 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true', [
    ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
    ['oauth_consumer_key', 'xvz1evFS4wEEPTGEFPHBog'],
    ['oauth_nonce', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '1318622958'],
    ['oauth_token', '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb'],
    ['oauth_version', '1.0'],
  ]);
  assert.equal(
    base,
    'POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521',
  );
  assert.equal(hmacSha1Signature(base, 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw', 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE'), 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
});

test('percent-encoding follows RFC 5849 §3.6 (unreserved only, upper-case hex, UTF-8)', () => {
  assert.equal(oauthPercentEncode("Ladies + Gentlemen!*'()~._-"), 'Ladies%20%2B%20Gentlemen%21%2A%27%28%29~._-');
  assert.equal(oauthPercentEncode('é'), '%C3%A9');
  // Default ports are dropped, scheme and host lower-cased (§3.4.1.2).
  assert.match(signatureBaseString('get', 'HTTPS://MDMenrollment.apple.com:443/session', []), /^GET&https%3A%2F%2Fmdmenrollment\.apple\.com%2Fsession&$/);
  assert.match(signatureBaseString('GET', 'http://127.0.0.1:8080/session', []), /127\.0\.0\.1%3A8080/);
});

test('Authorization header: realm ADM, HMAC-SHA1, parses back, and an independent verifier accepts it', () => {
  const creds = { consumerKey: 'CK_abc', consumerSecret: 'CS_s3cr=t&', token: 'AT_tok', tokenSecret: 'AS_x/y' };
  const url = 'http://127.0.0.1:4567/session';
  const header = oauthAuthorizationHeader('GET', url, creds, { timestamp: 1700000000, nonce: 'n1' });
  assert.match(header, /^OAuth realm="ADM", /);
  const p = parseOAuthHeader(header);
  assert.equal(p.get('oauth_signature_method'), 'HMAC-SHA1');
  assert.equal(p.get('oauth_version'), '1.0');
  assert.equal(p.get('oauth_consumer_key'), 'CK_abc');
  assert.equal(p.get('realm'), 'ADM');
  const tokens = { consumer_key: 'CK_abc', consumer_secret: 'CS_s3cr=t&', access_token: 'AT_tok', access_secret: 'AS_x/y', access_token_expiry: '2030-01-01T00:00:00Z' };
  const seen = new Set<string>();
  assert.deepEqual(checkOAuth(header, 'GET', url, tokens, seen, 1700000000), { ok: true });
  // Replayed nonce, wrong secret, tampered signature and a stale timestamp are all refused.
  assert.equal(checkOAuth(header, 'GET', url, tokens, seen, 1700000000).ok, false);
  const other = oauthAuthorizationHeader('GET', url, { ...creds, consumerSecret: 'wrong' }, { timestamp: 1700000000, nonce: 'n2' });
  assert.deepEqual(checkOAuth(other, 'GET', url, tokens, new Set(), 1700000000), { ok: false, status: 401, body: '"UNAUTHORIZED"' });
  const tampered = header.replace(/oauth_signature="([^"]+)"/, (_m, s: string) => `oauth_signature="${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}"`);
  assert.equal(checkOAuth(tampered, 'GET', url, tokens, new Set(), 1700000000).ok, false);
  assert.equal(checkOAuth(header, 'GET', url, tokens, new Set(), 1700000000 + 3600).ok, false);
});

test('parseOAuthHeader refuses duplicated parameters and non-OAuth headers', () => {
  assert.throws(() => parseOAuthHeader('OAuth a="1", a="2"'), /duplicated OAuth parameter a/);
  assert.throws(() => parseOAuthHeader('Bearer x'), /not an OAuth header/);
  assert.throws(() => parseOAuthHeader('OAuth a="1" junk'), /malformed/);
});
