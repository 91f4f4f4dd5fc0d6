/**
 * Signs profiles the way an MDM server or Apple Configurator would, with the openssl CLI:
 * `openssl cms -sign -nodetach -binary -outform DER -md sha256` over a plist, using an
 * openssl-generated self-signed RSA or ECDSA (P-256) signer certificate. Independent of the
 * emulator's verifier and of main/profiles.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A signer: certificate and key PEM files in a temp directory. */
export interface OpensslSigner {
  dir: string;
  cert: string;
  key: string;
  cleanup(): void;
}

/** Creates a self-signed signer certificate with an RSA-2048 or ECDSA P-256 key. */
export function makeSigner(kind: 'rsa' | 'ec'): OpensslSigner {
  const dir = mkdtempSync(join(tmpdir(), 'emu-cms-'));
  const cert = join(dir, 'signer.pem');
  const key = join(dir, 'signer.key');
  const keyArgs = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=Emulator test ${kind} signer`, '-days', '2'], { stdio: 'pipe' });
  return { dir, cert, key, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Returns the DER CMS SignedData of `content`, content attached, SHA-256 digest. */
export function signDer(signer: OpensslSigner, content: Buffer, md = 'sha256'): Buffer {
  const input = join(signer.dir, `in-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  writeFileSync(input, content);
  const out = `${input}.der`;
  execFileSync('openssl', ['cms', '-sign', '-nodetach', '-binary', '-outform', 'DER', '-md', md, '-signer', signer.cert, '-inkey', signer.key, '-in', input, '-out', out], { stdio: 'pipe' });
  return readFileSync(out);
}
