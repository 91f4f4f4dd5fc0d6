/**
 * Issues server tokens the way Apple Business Manager does: the OAuth token JSON wrapped between
 * `-----BEGIN MESSAGE-----` markers with MIME headers, encrypted with `openssl cms -encrypt` to
 * the server's certificate and written as S/MIME (`smime.p7m`). Options cover the edge cases
 * (cipher, OAEP key transport, streamed BER indefinite lengths, line wrapping).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DepTokens } from '../../../main/dep/api/types';

/** How to encrypt a token. */
export interface IssueTokenOptions {
  /** Content cipher (default aes128, Apple's). */
  cipher?: 'aes128' | 'aes192' | 'aes256' | 'des3';
  /** RSA-OAEP key transport (`sha1` or `sha256`) instead of PKCS#1 v1.5. */
  oaep?: 'sha1' | 'sha256';
  /** `-stream`: BER indefinite lengths, as Apple's files (default true). */
  stream?: boolean;
  /** Output: `smime` (default), `der`, `pem`. */
  outform?: 'smime' | 'der' | 'pem';
  /** Wrap the JSON at this many columns inside the MESSAGE markers (default 64; 0 = one line). */
  wrap?: number;
  /** Omit the BEGIN/END MESSAGE markers and MIME headers (bare JSON plaintext). */
  bare?: boolean;
}

/** The plaintext Apple encrypts: MIME headers, then the JSON wrapped between MESSAGE markers. */
export function tokenPlaintext(tokens: DepTokens | Record<string, unknown>, wrap = 64, bare = false): string {
  const json = JSON.stringify(tokens);
  if (bare) return json;
  const lines = wrap > 0 ? json.match(new RegExp(`.{1,${wrap}}`, 'g'))! : [json];
  return `Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\n${lines.join('\n')}\n-----END MESSAGE-----\n`;
}

/** Encrypts `plaintext` to `certificatePem` with openssl; returns the token file bytes. */
export function encryptToken(plaintext: string | Buffer, certificatePem: string, o: IssueTokenOptions = {}): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'depsim-token-'));
  try {
    fs.writeFileSync(path.join(dir, 'cert.pem'), certificatePem);
    fs.writeFileSync(path.join(dir, 'plain.txt'), plaintext);
    const args = ['cms', '-encrypt', '-binary', `-${o.cipher ?? 'aes128'}`, '-in', 'plain.txt', '-out', 'token.p7m', '-outform', (o.outform ?? 'smime').toUpperCase()];
    if (o.stream ?? true) args.push('-stream');
    args.push('-recip', 'cert.pem');
    if (o.oaep) args.push('-keyopt', 'rsa_padding_mode:oaep', '-keyopt', `rsa_oaep_md:${o.oaep}`, '-keyopt', `rsa_mgf1_md:${o.oaep}`);
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      throw new Error(`openssl cms -encrypt failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message}`, { cause: err });
    }
    return fs.readFileSync(path.join(dir, 'token.p7m'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
