/**
 * `stagebench profile build|sign|verify` — enrollment profiles from the command line.
 * build: flags → EnrollmentProfileSpec → validated XML (exit 2 naming payload and key when invalid).
 * sign: CMS SignedData with a .p12 identity (or a stored one). verify: signed/valid/signer/chain/payloads.
 */
import type { Command } from 'commander';
import {
  assertNoErrors, buildEnrollmentProfile, formatIssue, importPkcs12, inspectProfile, signProfile, validateProfile,
  type EnrollmentProfileSpec, type SigningIdentity, type TargetOS, type WifiEncryption,
} from '../../profiles';
import { appendAudit } from '../../store';
import type { CliContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { parseFormat, printJson } from '../output';
import { collect, parseNumber, readInputFile, secretFromEnv, writeOutputFile } from '../options';

const TARGETS: readonly TargetOS[] = ['ios', 'macos', 'tvos'];
const ENCRYPTIONS: readonly WifiEncryption[] = ['WEP', 'WPA', 'WPA2', 'WPA3', 'Any', 'None'];

interface BuildFlags {
  name: string; identifier?: string; organization?: string; description?: string;
  serverUrl: string; checkInUrl?: string; topic: string; accessRights?: string;
  scepUrl?: string; scepName?: string; scepSubject?: string; scepChallengeEnv?: string; scepKeysize?: string; scepKeyUsage?: string;
  acmeDirectoryUrl?: string; acmeClientIdentifier?: string; acmeSubject?: string; acmeKeyType?: string; acmeKeySize?: string; acmeHardwareBound?: boolean;
  anchor?: string[]; wifiSsid?: string; wifiPasswordEnv?: string; wifiEncryption?: string; wifiHidden?: boolean;
  expiresIn?: string; removalDate?: string; target: string; minOs?: string; out: string;
}

/** Lower-case reverse-DNS slug of a display name, for the default PayloadIdentifier. */
function slug(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'profile';
}

/** Turns `profile build` flags into a spec; throws UsageError for flag-level mistakes. */
export function specFromFlags(f: BuildFlags): EnrollmentProfileSpec {
  const os = f.target.toLowerCase() as TargetOS;
  if (!TARGETS.includes(os)) throw new UsageError(`--target must be one of ${TARGETS.join(', ')}, not "${f.target}"`);
  if (!f.scepUrl && !f.acmeDirectoryUrl) throw new UsageError('an identity is required: give --scep-url (with --scep-challenge-env) or --acme-directory-url');
  if (f.scepUrl && f.acmeDirectoryUrl) throw new UsageError('give either --scep-url or --acme-directory-url, not both: the MDM payload uses one identity');
  let encryption: WifiEncryption | undefined;
  if (f.wifiEncryption) {
    encryption = ENCRYPTIONS.find((e) => e.toLowerCase() === f.wifiEncryption!.toLowerCase());
    if (!encryption) throw new UsageError(`--wifi-encryption must be one of ${ENCRYPTIONS.join(', ')}, not "${f.wifiEncryption}"`);
  }
  if ((f.wifiPasswordEnv || f.wifiEncryption) && !f.wifiSsid) throw new UsageError('--wifi-password-env / --wifi-encryption need --wifi-ssid');
  let removalDate: Date | undefined;
  if (f.removalDate) {
    removalDate = new Date(f.removalDate);
    if (Number.isNaN(removalDate.getTime())) throw new UsageError(`--removal-date must be an ISO-8601 date, not "${f.removalDate}"`);
  }
  return {
    name: f.name,
    identifier: f.identifier ?? `com.stagebench.enroll.${slug(f.name)}`,
    organization: f.organization,
    description: f.description,
    serverUrl: f.serverUrl,
    checkInUrl: f.checkInUrl,
    topic: f.topic,
    accessRights: parseNumber(f.accessRights, '--access-rights', { integer: true }),
    scep: f.scepUrl
      ? {
          url: f.scepUrl,
          name: f.scepName,
          subject: f.scepSubject,
          challenge: f.scepChallengeEnv ? secretFromEnv(f.scepChallengeEnv, '--scep-challenge-env') : undefined,
          keysize: parseNumber(f.scepKeysize, '--scep-keysize', { integer: true }),
          keyUsage: parseNumber(f.scepKeyUsage, '--scep-key-usage', { integer: true }),
        }
      : undefined,
    acme: f.acmeDirectoryUrl
      ? {
          directoryUrl: f.acmeDirectoryUrl,
          clientIdentifier: f.acmeClientIdentifier ?? (() => { throw new UsageError('--acme-directory-url needs --acme-client-identifier'); })(),
          subject: f.acmeSubject ?? (() => { throw new UsageError('--acme-directory-url needs --acme-subject (e.g. /CN=device)'); })(),
          keyType: f.acmeKeyType as 'RSA' | 'ECSECPrimeRandom' | undefined,
          keySize: parseNumber(f.acmeKeySize, '--acme-key-size', { integer: true }),
          hardwareBound: f.acmeHardwareBound,
        }
      : undefined,
    anchors: (f.anchor ?? []).map((p) => readInputFile(p, '--anchor')),
    wifi: f.wifiSsid
      ? {
          ssid: f.wifiSsid,
          password: f.wifiPasswordEnv ? secretFromEnv(f.wifiPasswordEnv, '--wifi-password-env') : undefined,
          encryption,
          hidden: f.wifiHidden,
        }
      : undefined,
    expiresInSeconds: parseNumber(f.expiresIn, '--expires-in', { min: 1 }),
    removalDate,
    os,
    minOsVersion: f.minOs,
  };
}

function loadIdentity(ctx: CliContext, o: { identity?: string; passwordEnv?: string; identityId?: string }): SigningIdentity {
  if (o.identity && o.identityId) throw new UsageError('give either --identity FILE.p12 or --identity-id, not both');
  if (o.identityId) return ctx.app(true).identities.open(o.identityId);
  if (!o.identity) throw new UsageError('--identity FILE.p12 (with --password-env VAR) or --identity-id ID is required');
  return importPkcs12(readInputFile(o.identity, '--identity'), secretFromEnv(o.passwordEnv, '--password-env'));
}

/** Registers `profile build|sign|verify`. */
export function registerProfileCommands(program: Command, ctx: CliContext): void {
  const profile = program.command('profile').description('build, sign and verify enrollment profiles (.mobileconfig)');

  profile
    .command('build')
    .description('build and validate an unsigned enrollment profile (XML plist): com.apple.mdm + SCEP/ACME identity + root anchors + optional Wi-Fi')
    .requiredOption('--name <name>', 'PayloadDisplayName')
    .option('--identifier <id>', 'top-level PayloadIdentifier (reverse-DNS); default com.stagebench.enroll.<name>')
    .option('--organization <org>', 'PayloadOrganization')
    .option('--description <text>', 'PayloadDescription')
    .requiredOption('--server-url <url>', 'com.apple.mdm ServerURL (https)')
    .option('--check-in-url <url>', 'com.apple.mdm CheckInURL (https)')
    .requiredOption('--topic <topic>', 'com.apple.mdm Topic (com.apple.mgmt.…, from the APNs certificate)')
    .option('--access-rights <n>', 'com.apple.mdm AccessRights bitmask (default 8191)')
    .option('--scep-url <url>', 'com.apple.security.scep URL')
    .option('--scep-name <name>', 'SCEP Name (CA identifier)')
    .option('--scep-subject <subject>', 'SCEP Subject, e.g. /CN=device/O=Example')
    .option('--scep-challenge-env <var>', 'environment variable holding the SCEP Challenge')
    .option('--scep-keysize <bits>', 'SCEP Keysize: 1024, 2048 or 4096 (default 2048)')
    .option('--scep-key-usage <n>', 'SCEP Key Usage: 1 signing, 4 encryption, 5 both (default 5)')
    .option('--acme-directory-url <url>', 'com.apple.security.acme DirectoryURL (instead of SCEP)')
    .option('--acme-client-identifier <id>', 'ACME ClientIdentifier')
    .option('--acme-subject <subject>', 'ACME Subject, e.g. /CN=device')
    .option('--acme-key-type <type>', 'ACME KeyType: RSA or ECSECPrimeRandom')
    .option('--acme-key-size <bits>', 'ACME KeySize')
    .option('--acme-hardware-bound', 'ACME HardwareBound')
    .option('--anchor <file>', 'CA certificate (PEM or DER) → com.apple.security.root; repeatable', collect)
    .option('--wifi-ssid <ssid>', 'add a com.apple.wifi.managed payload for this SSID_STR')
    .option('--wifi-password-env <var>', 'environment variable holding the Wi-Fi Password')
    .option('--wifi-encryption <type>', 'EncryptionType: WEP, WPA, WPA2, WPA3, Any, None')
    .option('--wifi-hidden', 'HIDDEN_NETWORK')
    .option('--expires-in <seconds>', 'DurationUntilRemoval (real, seconds) for short-lived enrollment profiles')
    .option('--removal-date <iso>', 'RemovalDate (ISO-8601)')
    .option('--target <os>', 'ios, macos or tvos', 'ios')
    .option('--min-os <version>', 'validate key support for this minimum OS version, e.g. 17.0')
    .requiredOption('--out <file>', 'where to write the unsigned profile')
    .action((flags: BuildFlags) => {
      const spec = specFromFlags(flags);
      const built = buildEnrollmentProfile(spec);
      for (const w of built.issues.filter((i) => i.severity === 'warning')) process.stderr.write(`stagebench: ${formatIssue(w)}\n`);
      assertNoErrors(built.issues);
      writeOutputFile(flags.out, built.xml);
      appendAudit(ctx.app(false).db, { actor: ctx.actor, action: 'profile.build', target: built.identifier, outcome: 'success', detail: `written to ${flags.out}` });
      process.stderr.write(`stagebench: wrote ${flags.out} (${built.identifier}, ${built.xml.length} bytes, unsigned)\n`);
    });

  profile
    .command('sign')
    .description('CMS-sign a profile (SHA-256, content attached, signer + intermediates)')
    .option('--identity <file.p12>', 'PKCS#12 signing identity (RSA or ECDSA P-256)')
    .option('--password-env <var>', 'environment variable holding the .p12 password')
    .option('--identity-id <id>', 'a stored identity (stagebench identity list) instead of a .p12')
    .requiredOption('--in <file>', 'unsigned profile')
    .requiredOption('--out <file>', 'signed profile (DER CMS)')
    .action((o: { identity?: string; passwordEnv?: string; identityId?: string; in: string; out: string }) => {
      const input = readInputFile(o.in, '--in');
      const report = inspectProfile(input);
      if (report.signed) throw new UsageError(`${o.in} is already signed (by ${report.signer}); sign the unsigned profile`);
      if (!report.profile) throw new UsageError(`${o.in} is not an XML configuration profile`);
      assertNoErrors(validateProfile(report.profile));
      const identity = loadIdentity(ctx, o);
      const signed = signProfile(input, identity);
      writeOutputFile(o.out, signed);
      appendAudit(ctx.app(false).db, { actor: ctx.actor, action: 'profile.sign', target: report.identifier ?? o.in, outcome: 'success', detail: `signer ${identity.subject}` });
      process.stderr.write(`stagebench: signed ${report.identifier} as ${identity.subject} → ${o.out}\n`);
    });

  profile
    .command('verify <file>')
    .description('verify a signed profile: signature, digest, chain (to --ca when given), payloads; exit 1 when not valid')
    .option('--ca <file>', 'CA certificate(s) (PEM) the signer chain must verify to')
    .option('--format <fmt>', 'text or json', 'text')
    .action((file: string, o: { ca?: string; format?: string }) => {
      const format = parseFormat(o.format);
      const report = inspectProfile(readInputFile(file, 'profile'), o.ca ? { caPem: readInputFile(o.ca, '--ca') } : {});
      const out = {
        file,
        signed: report.signed,
        valid: report.valid,
        signer: report.signer ?? null,
        signingTime: report.signingTime?.toISOString() ?? null,
        digestAlgorithm: report.digestAlgorithm ?? null,
        signatureAlgorithm: report.signatureAlgorithm ?? null,
        chain: report.chain,
        problems: report.problems,
        identifier: report.identifier ?? null,
        uuid: report.uuid ?? null,
        displayName: report.displayName ?? null,
        payloads: report.payloads,
      };
      if (format === 'json') printJson(out);
      else {
        const lines = [
          `File:      ${file}`,
          `Signed:    ${out.signed ? 'yes' : 'no'}`,
          `Valid:     ${out.valid ? 'yes' : 'no'}`,
          ...(out.signer ? [`Signer:    ${out.signer}`] : []),
          ...out.chain.map((c, i) => `Chain[${i}]:  ${c.subject} (issuer ${c.issuer}; ${c.notBefore} – ${c.notAfter})`),
          `Profile:   ${out.displayName ?? '-'} (${out.identifier ?? '-'})`,
          `Payloads:  ${out.payloads.join(', ') || '-'}`,
          ...out.problems.map((p) => `Problem:   ${p}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (!report.valid) throw new ReportedFailure();
    });
}
