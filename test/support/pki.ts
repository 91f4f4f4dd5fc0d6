/**
 * Test PKI built with the `openssl` CLI (OpenSSL 3): root CA → intermediate CA → signer, either
 * RSA-2048 or ECDSA P-256, with the signer exported as a password-protected PKCS#12. Used by the
 * profile-signing tests and by E2E/staging tests that need a signing identity or a trust anchor.
 *
 * Passwords reach openssl through the environment (`-passout env:…`), never on the command line.
 * Every file is written inside `dir` (callers pass a fresh temp dir and remove it afterwards).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Key algorithm of the whole test chain. */
export type TestKeyType = 'rsa' | 'ec';

/** Options for {@link makeTestPki}. */
export interface TestPkiOptions {
  keyType: TestKeyType;
  /** PKCS#12 password; default a fixed test password. */
  p12Password?: string;
  /**
   * PKCS#12 encryption: `modern` = OpenSSL 3 default (PBES2/AES-256-CBC, PBKDF2-HMAC-SHA256, SHA-256
   * MAC); `legacy` = `-legacy` (RC2-40 certificates, 3DES key, SHA-1 MAC). Default `modern`.
   */
  p12Format?: 'modern' | 'legacy';
  /** Signer validity in days (default 30). Negative values are not supported by openssl. */
  signerDays?: number;
  /** Subject common-name prefix (default `StageBench Test`). */
  name?: string;
}

/** Paths and PEM texts of a generated test PKI. */
export interface TestPki {
  dir: string;
  keyType: TestKeyType;
  rootPem: string;
  rootPath: string;
  rootKeyPath: string;
  intermediatePem: string;
  intermediatePath: string;
  intermediateKeyPath: string;
  signerPem: string;
  signerCertPath: string;
  signerKeyPath: string;
  /** intermediate + root PEMs, as bundled into the .p12. */
  chainPath: string;
  p12Path: string;
  p12Password: string;
  /** Subjects in OpenSSL one-line form, e.g. `/CN=StageBench Test Signer/O=StageBench`. */
  subjects: { root: string; intermediate: string; signer: string };
}

/** Runs openssl; throws with its stderr when it fails. */
export function openssl(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: Buffer } = {}): Buffer {
  try {
    return execFileSync('openssl', args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString() || e.message}`, { cause: err });
  }
}

function genKey(keyType: TestKeyType, out: string): void {
  if (keyType === 'rsa') openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', out]);
  else openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', out]);
}

const EXTENSIONS = `[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[signer]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = emailProtection, codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/**
 * Generates root → intermediate → signer under `dir` and exports the signer (key + signer cert +
 * intermediate + root) as a PKCS#12. Takes ~0.1–1 s. Throws when openssl fails.
 */
export function makeTestPki(dir: string, options: TestPkiOptions): TestPki {
  fs.mkdirSync(dir, { recursive: true });
  const p = (name: string) => path.join(dir, name);
  const name = options.name ?? 'StageBench Test';
  const kt = options.keyType;
  const subjects = {
    root: `/CN=${name} Root CA (${kt})/O=StageBench`,
    intermediate: `/CN=${name} Intermediate CA (${kt})/O=StageBench`,
    signer: `/CN=${name} Profile Signer (${kt})/O=StageBench`,
  };
  fs.writeFileSync(p('ext.cnf'), EXTENSIONS);

  genKey(kt, p('root.key'));
  openssl(['req', '-x509', '-new', '-key', p('root.key'), '-subj', subjects.root, '-days', '3650', '-sha256',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', p('root.pem')]);

  genKey(kt, p('intermediate.key'));
  openssl(['req', '-new', '-key', p('intermediate.key'), '-subj', subjects.intermediate, '-out', p('intermediate.csr')]);
  openssl(['x509', '-req', '-in', p('intermediate.csr'), '-CA', p('root.pem'), '-CAkey', p('root.key'), '-set_serial', '2',
    '-days', '1825', '-sha256', '-extfile', p('ext.cnf'), '-extensions', 'ca', '-out', p('intermediate.pem')]);

  genKey(kt, p('signer.key'));
  openssl(['req', '-new', '-key', p('signer.key'), '-subj', subjects.signer, '-out', p('signer.csr')]);
  openssl(['x509', '-req', '-in', p('signer.csr'), '-CA', p('intermediate.pem'), '-CAkey', p('intermediate.key'), '-set_serial', '3',
    '-days', String(options.signerDays ?? 30), '-sha256', '-extfile', p('ext.cnf'), '-extensions', 'signer', '-out', p('signer.pem')]);

  const rootPem = fs.readFileSync(p('root.pem'), 'utf8');
  const intermediatePem = fs.readFileSync(p('intermediate.pem'), 'utf8');
  fs.writeFileSync(p('chain.pem'), intermediatePem + rootPem);
  const p12Password = options.p12Password ?? 'test-p12-password';
  exportP12({ out: p('signer.p12'), password: p12Password, keyPath: p('signer.key'), certPath: p('signer.pem'), chainPath: p('chain.pem'), format: options.p12Format });

  return {
    dir,
    keyType: kt,
    rootPem,
    rootPath: p('root.pem'),
    rootKeyPath: p('root.key'),
    intermediatePem,
    intermediatePath: p('intermediate.pem'),
    intermediateKeyPath: p('intermediate.key'),
    signerPem: fs.readFileSync(p('signer.pem'), 'utf8'),
    signerCertPath: p('signer.pem'),
    signerKeyPath: p('signer.key'),
    chainPath: p('chain.pem'),
    p12Path: p('signer.p12'),
    p12Password,
    subjects,
  };
}

/**
 * Exports a PKCS#12 with `openssl pkcs12 -export`. Omit `keyPath` for a certificate-only file
 * (`-nokeys`), omit `certPath` for a key-only file (`-nocerts`). Returns the file bytes.
 */
export function exportP12(o: { out: string; password: string; keyPath?: string; certPath?: string; chainPath?: string; format?: 'modern' | 'legacy' }): Buffer {
  const args = ['pkcs12', '-export', '-out', o.out, '-passout', 'env:STAGEBENCH_TEST_P12_PASS', '-name', 'StageBench test identity'];
  if (o.format === 'legacy') args.push('-legacy');
  if (o.keyPath) args.push('-inkey', o.keyPath);
  else args.push('-nokeys');
  if (o.certPath) args.push('-in', o.certPath);
  else args.push('-nocerts', '-in', o.keyPath ?? '');
  if (o.chainPath) args.push('-certfile', o.chainPath);
  openssl(args, { env: { STAGEBENCH_TEST_P12_PASS: o.password } });
  return fs.readFileSync(o.out);
}
