/**
 * Validates a configuration profile against the generated payload catalog (Apple's schema:
 * `TopLevel.yaml`, `CommonPayloadKeys.yaml`, `mdm/profiles/*.yaml`) before anything is written:
 * required keys, value types (real vs integer, data, date, string, boolean, array, dictionary),
 * allowed values (`rangelist`), `range`, `format` regexes, array `repetition`, per-OS support for
 * the target OS at payload and key level (`introduced`/`removed` versus a minimum OS version), and
 * cross-key rules for enrollment profiles (com.apple.mdm, see profiles-and-tenant-api.md §3):
 * IdentityCertificateUUID names an identity payload of the same profile, Topic starts with
 * `com.apple.mgmt.`, ServerURL/CheckInURL are https, AccessRights is non-zero and consistent,
 * PayloadUUID/PayloadIdentifier unique, a single com.apple.mdm payload.
 */
import { APPLE_OSES, catalogPayload, checkOsSupport, payloadCatalog, type AppleOS, type CatalogKey } from './catalog';
import type { ValidationIssue } from './errors';
import { isTypedDict, PlistReal, plistTypeOf, type TypedPlistDict, type TypedPlistValue } from './plist-xml';

/** Target OS for validation: StageBench's `ios | macos | tvos` or any Apple OS name. */
export type ValidationTarget = 'ios' | 'macos' | 'tvos' | AppleOS;

/** Options: `os` enables per-OS checks; `minOsVersion` (e.g. `'16.0'`) adds introduced/removed checks. */
export interface ValidateOptions {
  os?: ValidationTarget;
  minOsVersion?: string;
}

/** PayloadTypes an `IdentityCertificateUUID` may point at (com.apple.mdm.yaml; reference §3). */
export const IDENTITY_PAYLOAD_TYPES: readonly string[] = [
  'com.apple.security.scep',
  'com.apple.security.acme',
  'com.apple.security.pkcs12',
  'com.apple.security.pkcs1',
  'com.apple.security.pem',
];

const OS_NAMES: Record<string, AppleOS> = { ios: 'iOS', macos: 'macOS', tvos: 'tvOS' };

/** Maps `ios|macos|tvos` (or an Apple OS name) to Apple's OS name; throws Error for others. */
export function appleOsName(os: ValidationTarget): AppleOS {
  const name = OS_NAMES[os] ?? (APPLE_OSES.includes(os as AppleOS) ? (os as AppleOS) : undefined);
  if (!name) throw new Error(`unknown target OS "${os}": use ios, macos or tvos`);
  return name;
}

const regexCache = new Map<string, RegExp | null>();
function compiled(format: string): RegExp | null {
  if (!regexCache.has(format)) {
    try {
      regexCache.set(format, new RegExp(format, 'u'));
    } catch {
      regexCache.set(format, null);
    }
  }
  return regexCache.get(format)!;
}

function scalar(v: TypedPlistValue): unknown {
  return v instanceof PlistReal ? v.value : v;
}

function squash(s: string): string {
  return s.replace(/[\s_-]/g, '').toLowerCase();
}

/** Keys whose `format` check is replaced by a cross-key rule with a clearer message. */
const CROSS_CHECKED_FORMATS = new Set(['com.apple.mdm ServerURL', 'com.apple.mdm CheckInURL']);

class Validator {
  readonly issues: ValidationIssue[] = [];
  private readonly os?: AppleOS;
  private payloadType = 'Configuration';
  private payloadIdentifier?: string;

  constructor(private readonly opts: ValidateOptions) {
    this.os = opts.os ? appleOsName(opts.os) : undefined;
  }

  at(type: string, identifier: unknown): void {
    this.payloadType = type;
    this.payloadIdentifier = typeof identifier === 'string' ? identifier : undefined;
  }

  add(rule: string, key: string | undefined, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.issues.push({ severity, rule, payloadType: this.payloadType, payloadIdentifier: this.payloadIdentifier, key, message });
  }

  checkOs(supported: CatalogKey['supportedOS'], key: string | undefined): boolean {
    if (!this.os) return true;
    const what = key ? `key ${key}` : `payload ${this.payloadType}`;
    const r = checkOsSupport(supported, this.os, this.opts.minOsVersion);
    if (!r.ok) {
      this.add('os-support', key, `${what} is ${r.reason}; remove it or change the target OS/minimum version`);
      return false;
    }
    if (r.support.deprecated) this.add('deprecated', key, `${what} is deprecated since ${this.os} ${r.support.deprecated}; prefer its replacement`, 'warning');
    return true;
  }

  /** Checks a dictionary against catalog keys. `noDescend` keys get a type check only. */
  checkDict(dict: TypedPlistDict, keys: CatalogKey[], prefix: string, ancestors: CatalogKey[], noDescend: ReadonlySet<string> = new Set()): void {
    const any = keys.find((k) => k.key === 'ANY');
    for (const k of keys) {
      if (k.key === 'ANY' || k.presence !== 'required' || dict[k.key] !== undefined) continue;
      if (prefix === '' && this.payloadType === 'Configuration' && k.key === 'PayloadContent' && dict.IsEncrypted === true) continue;
      this.add('required', `${prefix}${k.key}`, `required key ${k.key} is missing; add it${k.type !== 'any' ? ` (<${k.type}>)` : ''}`);
    }
    for (const [name, value] of Object.entries(dict)) {
      if (value === undefined) continue;
      const path = `${prefix}${name}`;
      const k = keys.find((x) => x.key === name);
      if (!k) {
        if (any) {
          this.checkValue(value, any, path, ancestors, true, false);
          continue;
        }
        const near = keys.find((x) => x.key !== 'ANY' && squash(x.key) === squash(name));
        if (near) this.add('unknown-key', path, `key "${name}" is not in Apple's schema for ${this.payloadType}; did you mean "${near.key}"? Rename it`);
        else this.add('unknown-key', path, `key "${name}" is not in Apple's schema for ${this.payloadType}; the device ignores it — check the spelling or remove it`, 'warning');
        continue;
      }
      this.checkValue(value, k, path, ancestors, false, noDescend.has(name));
    }
  }

  checkValue(v: TypedPlistValue, k: CatalogKey, path: string, ancestors: CatalogKey[], isItem: boolean, noDescend: boolean): void {
    if (!isItem && !this.checkOs(k.supportedOS, path)) return;
    const actual = plistTypeOf(v);
    if (k.type !== 'any' && actual !== k.type) {
      const hint = k.type === 'real' && actual === 'integer' ? ` (write <real>${String(scalar(v))}</real>, not <integer>)` : '';
      this.add('type', path, `${path} must be <${k.type}> but is <${actual}>${hint}`);
      return;
    }
    const sv = scalar(v);
    if (k.rangelist && actual !== 'array' && actual !== 'dictionary' && !k.rangelist.some((x) => x === sv || (typeof sv === 'bigint' && typeof x === 'number' && BigInt(x) === sv))) {
      this.add('rangelist', path, `${path} is ${JSON.stringify(typeof sv === 'bigint' ? sv.toString() : sv)}; allowed values: ${k.rangelist.map((x) => JSON.stringify(x)).join(', ')}`);
    }
    if (k.range && (typeof sv === 'number' || typeof sv === 'bigint')) {
      const n = Number(sv);
      if ((k.range.min !== undefined && n < k.range.min) || (k.range.max !== undefined && n > k.range.max)) {
        this.add('range', path, `${path} is ${n}; it must be between ${k.range.min ?? '-∞'} and ${k.range.max ?? '∞'}`);
      }
    }
    if (k.format && typeof v === 'string' && !CROSS_CHECKED_FORMATS.has(`${this.payloadType} ${path}`)) {
      const re = compiled(k.format);
      if (re && !re.test(v)) this.add('format', path, `${path} "${v}" does not match the required format ${k.format}`);
    }
    if (noDescend) return;
    const subkeys = k.subkeys ?? (k.subkeysOf ? [...ancestors].reverse().find((a) => a.key === k.subkeysOf)?.subkeys : undefined);
    if (!subkeys || subkeys.length === 0) return;
    if (actual === 'dictionary') {
      this.checkDict(v as TypedPlistDict, subkeys, `${path}.`, [...ancestors, k]);
    } else if (actual === 'array') {
      const items = v as TypedPlistValue[];
      const item = subkeys[0];
      const rep = item.repetition;
      if (rep && ((rep.min !== undefined && items.length < rep.min) || (rep.max !== undefined && items.length > rep.max))) {
        this.add('repetition', path, `${path} has ${items.length} item(s); it needs ${rep.min ?? 0}${rep.max !== rep.min ? `–${rep.max ?? '∞'}` : ''}`);
      }
      items.forEach((x, i) => this.checkValue(x, item, `${path}[${i}]`, [...ancestors, k], true, false));
    }
  }
}

function isHttpsUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname !== '';
  } catch {
    return false;
  }
}

function checkMdm(val: Validator, p: TypedPlistDict, byUUID: Map<string, TypedPlistDict>): void {
  const ref = p.IdentityCertificateUUID;
  if (typeof ref === 'string') {
    const target = byUUID.get(ref);
    if (!target) {
      val.add('identity-ref', 'IdentityCertificateUUID', `IdentityCertificateUUID ${ref} names no payload in this profile; set it to the PayloadUUID of the SCEP, ACME or PKCS#12 payload`);
    } else if (!IDENTITY_PAYLOAD_TYPES.includes(String(target.PayloadType))) {
      val.add('identity-ref', 'IdentityCertificateUUID', `IdentityCertificateUUID ${ref} names a ${String(target.PayloadType)} payload, which holds no identity; point it at a ${IDENTITY_PAYLOAD_TYPES.join(' / ')} payload`);
    }
  }
  if (typeof p.Topic === 'string' && !p.Topic.startsWith('com.apple.mgmt.')) {
    val.add('topic', 'Topic', `Topic "${p.Topic}" must start with "com.apple.mgmt." (the UID of your APNs MDM push certificate)`);
  }
  for (const key of ['ServerURL', 'CheckInURL'] as const) {
    const u = p[key];
    if (typeof u === 'string' && !isHttpsUrl(u)) val.add('https', key, `${key} "${u}" must be an https:// URL with a host (devices refuse plain http)`);
  }
  const ar = p.AccessRights;
  if (typeof ar === 'number' && Number.isInteger(ar)) {
    if (ar === 0) val.add('access-rights', 'AccessRights', 'AccessRights must not be 0; use 8191 for all rights or omit the key');
    else if (ar < 0 || ar > 8191) val.add('access-rights', 'AccessRights', `AccessRights ${ar} is outside 1–8191 (bits 1 … 4096)`);
    else {
      if (ar & 2 && !(ar & 1)) val.add('access-rights', 'AccessRights', `AccessRights ${ar} has 2 (install/remove profiles) without 1 (inspect profiles); add 1`);
      if (ar & 128 && !(ar & 64)) val.add('access-rights', 'AccessRights', `AccessRights ${ar} has 128 (install/remove provisioning profiles) without 64 (inspect them); add 64`);
    }
  }
}

/**
 * Validates `profile` (a top-level Configuration dictionary as built or as parsed by
 * parseTypedPlist) and returns every issue found, errors and warnings, each naming the payload
 * (PayloadType + PayloadIdentifier) and key. Never throws for bad profiles; throws Error only for
 * an unknown `opts.os` or a malformed `opts.minOsVersion`.
 */
export function validateProfile(profile: TypedPlistValue, opts: ValidateOptions = {}): ValidationIssue[] {
  const val = new Validator(opts);
  const catalog = payloadCatalog();
  if (!isTypedDict(profile)) {
    val.add('type', undefined, `a profile must be a dictionary, found <${plistTypeOf(profile)}>`);
    return val.issues;
  }
  val.at('Configuration', profile.PayloadIdentifier);
  val.checkOs(catalog.topLevel.supportedOS, undefined);
  val.checkDict(profile, catalog.topLevel.keys, '', [], new Set(['PayloadContent']));
  if (profile.DurationUntilRemoval instanceof PlistReal && profile.DurationUntilRemoval.value <= 0) {
    val.add('range', 'DurationUntilRemoval', 'DurationUntilRemoval must be a positive number of seconds');
  }

  const uuids = new Map<string, string>();
  const identifiers = new Map<string, string>();
  const noteUnique = (p: TypedPlistDict, where: string) => {
    if (typeof p.PayloadUUID === 'string') {
      const prev = uuids.get(p.PayloadUUID.toUpperCase());
      if (prev) val.add('duplicate-uuid', 'PayloadUUID', `PayloadUUID ${p.PayloadUUID} is also used by ${prev}; every payload needs its own UUID`);
      else uuids.set(p.PayloadUUID.toUpperCase(), where);
    }
    if (typeof p.PayloadIdentifier === 'string') {
      const prev = identifiers.get(p.PayloadIdentifier);
      if (prev) val.add('duplicate-identifier', 'PayloadIdentifier', `PayloadIdentifier ${p.PayloadIdentifier} is also used by ${prev}; make it unique within the profile`);
      else identifiers.set(p.PayloadIdentifier, where);
    }
  };
  noteUnique(profile, 'the profile (top level)');

  const content = Array.isArray(profile.PayloadContent) ? profile.PayloadContent : [];
  const payloads: TypedPlistDict[] = [];
  content.forEach((item, i) => {
    if (!isTypedDict(item)) {
      val.at('Configuration', profile.PayloadIdentifier);
      val.add('type', `PayloadContent[${i}]`, `PayloadContent[${i}] must be a payload dictionary, found <${plistTypeOf(item)}>`);
      return;
    }
    payloads.push(item);
  });

  const byUUID = new Map<string, TypedPlistDict>();
  for (const p of payloads) if (typeof p.PayloadUUID === 'string' && !byUUID.has(p.PayloadUUID)) byUUID.set(p.PayloadUUID, p);
  const counts = new Map<string, number>();
  for (const p of payloads) {
    const type = typeof p.PayloadType === 'string' ? p.PayloadType : '(no PayloadType)';
    val.at(type, p.PayloadIdentifier);
    counts.set(type, (counts.get(type) ?? 0) + 1);
    noteUnique(p, `${type} ${String(p.PayloadIdentifier ?? '')}`.trim());
    const entry = typeof p.PayloadType === 'string' ? catalogPayload(p.PayloadType) : undefined;
    if (!entry) {
      if (typeof p.PayloadType !== 'string') val.add('required', 'PayloadType', 'payload has no PayloadType string; set it, e.g. com.apple.mdm');
      else val.add('unknown-payload', 'PayloadType', `PayloadType ${p.PayloadType} is not in Apple's schema (${catalog.source.branch}); check the spelling`);
      val.checkDict(p, catalog.common.keys, '', []);
      continue;
    }
    val.checkOs(entry.supportedOS, undefined);
    const keys = [...entry.keys, ...catalog.common.keys.filter((c) => !entry.keys.some((k) => k.key === c.key))];
    val.checkDict(p, keys, '', []);
    const seenBefore = counts.get(type)!;
    if (type === 'com.apple.mdm') {
      if (seenBefore === 2) val.add('single-mdm', undefined, 'a profile may hold only one com.apple.mdm payload; remove the extra one');
      checkMdm(val, p, byUUID);
    } else if (seenBefore === 2 && val['os'] && entry.supportedOS[val['os']]?.multiple === false) {
      val.add('multiple', undefined, `only one ${type} payload is allowed per profile on ${val['os']}; merge or remove the extra one`);
    }
  }
  return val.issues;
}
