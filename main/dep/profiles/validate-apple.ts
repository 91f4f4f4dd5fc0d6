/**
 * Local checks of an ADE profile JSON before it is sent to "Define a Profile", with Apple's 400
 * codes (AppleDocs `define-profile`; reference §2.2): CONFIG_NAME_REQUIRED / CONFIG_NAME_INVALID,
 * CONFIG_URL_REQUIRED / CONFIG_URL_INVALID, DEPARTMENT_INVALID, FLAGS_INVALID, LOCALE_INVALID,
 * MAGIC_INVALID, SUPPORT_EMAIL_INVALID, SUPPORT_PHONE_INVALID. Checks Apple does not name get
 * StageBench codes (TYPE_INVALID, UNKNOWN_KEY, CERTIFICATE_INVALID, SKIP_ITEM_INVALID, ...).
 */
import { X509Certificate } from 'node:crypto';
import { whyNotSkipKey } from '../setup-assistant/panes';
import { APPLE_PROFILE_KEY_TYPES, APPLE_PROFILE_LIMITS, charCount, type AppleDepProfile } from './apple-profile';
import type { DepProfileIssue } from './issues';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function issue(field: string, code: string, rule: string, message: string, severity: 'error' | 'warning' = 'error', source: DepProfileIssue['source'] = 'apple'): DepProfileIssue {
  return { field, code, rule, message, severity, source };
}

/** Length of `url` as Apple counts it: characters after URL encoding (WHATWG serialisation). */
export function encodedUrlLength(url: string): number {
  try {
    return new URL(url).href.length;
  } catch {
    return encodeURI(url).length;
  }
}

/**
 * Checks `url` is an absolute http(s) URL with a host (RFC 3986 via WHATWG URL). Returns a reason
 * when it is not, undefined when it is.
 */
export function urlProblem(url: string, requireHttps: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not an absolute URL; give one such as https://mdm.example.com/enroll`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `"${url}" must use https`;
  if (requireHttps && u.protocol !== 'https:') return `"${url}" must use https (devices load it only over TLS)`;
  if (!u.hostname) return `"${url}" has no host name`;
  if (/\s/.test(url)) return `"${url}" contains spaces; URL-encode them`;
  return undefined;
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/**
 * Apple's language/region rules (`language`: ISO 639-1 preferred, or 639-2, 2–3 lower-case letters;
 * `region`: ISO 3166-1 alpha-2, upper case). Returns LOCALE_INVALID issues for unknown codes, wrong
 * case, or a region without a language.
 */
export function localeIssues(language: string | undefined, region: string | undefined, fieldOf: (k: 'language' | 'region') => string = (k) => k): DepProfileIssue[] {
  const out: DepProfileIssue[] = [];
  if (language !== undefined) {
    if (!/^[a-z]{2,3}$/.test(language)) {
      out.push(issue(fieldOf('language'), 'LOCALE_INVALID', 'LANGUAGE_FORMAT', `language "${language}" must be an ISO 639-1 (or 639-2) code of 2–3 lower-case letters, such as "en" or "de"`));
    } else if (!LANGUAGE_NAMES.of(language)) {
      out.push(issue(fieldOf('language'), 'LOCALE_INVALID', 'LANGUAGE_UNKNOWN', `language "${language}" is not an ISO 639 language code`));
    }
  }
  if (region !== undefined) {
    if (!/^[A-Z]{2}$/.test(region)) {
      out.push(issue(fieldOf('region'), 'LOCALE_INVALID', 'REGION_FORMAT', `region "${region}" must be an ISO 3166-1 alpha-2 code in upper case, such as "US" or "DE"`));
    } else if (!REGION_NAMES.of(region) || ['ZZ', 'XX', 'AA', 'QO'].includes(region)) {
      out.push(issue(fieldOf('region'), 'LOCALE_INVALID', 'REGION_UNKNOWN', `region "${region}" is not an ISO 3166-1 country code`));
    }
    if (language === undefined) {
      out.push(issue(fieldOf('region'), 'LOCALE_INVALID', 'REGION_WITHOUT_LANGUAGE', 'a region needs a language: set language too (e.g. language "en" with region "US")'));
    }
  }
  return out;
}

/**
 * Checks each entry of a certificate list is base64 (no PEM armour) of one DER X.509 certificate.
 * Issues name the entry (`anchor_certs[1]`); code CERTIFICATE_INVALID.
 */
export function certificateListIssues(list: readonly string[], field: string): DepProfileIssue[] {
  const out: DepProfileIssue[] = [];
  list.forEach((b64, i) => {
    const f = `${field}[${i}]`;
    if (/-----BEGIN/.test(b64)) {
      out.push(issue(f, 'CERTIFICATE_INVALID', 'CERTIFICATE_NOT_BASE64_DER', 'give the certificate as base64 DER without the PEM header lines', 'error', 'stagebench'));
      return;
    }
    const clean = b64.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 !== 0) {
      out.push(issue(f, 'CERTIFICATE_INVALID', 'CERTIFICATE_NOT_BASE64_DER', 'is not base64; give the DER certificate encoded in base64', 'error', 'stagebench'));
      return;
    }
    try {
      const cert = new X509Certificate(Buffer.from(clean, 'base64'));
      if (new Date(cert.validTo) < new Date()) {
        out.push(issue(f, 'CERTIFICATE_INVALID', 'CERTIFICATE_EXPIRED', `certificate ${cert.subject.replace(/\n/g, ', ')} expired on ${new Date(cert.validTo).toISOString()}`, 'warning', 'stagebench'));
      }
    } catch (err) {
      out.push(issue(f, 'CERTIFICATE_INVALID', 'CERTIFICATE_NOT_BASE64_DER', `is not a DER X.509 certificate (${(err as Error).message})`, 'error', 'stagebench'));
    }
  });
  return out;
}

/**
 * Validates an ADE profile JSON value (e.g. read with `--from-json`) against Apple's keys, types and
 * limits. Returns every issue (empty = valid); never throws. `fieldOf` maps an Apple key to the name
 * reported (identity by default), so the form validator can name its own fields.
 */
export function validateAppleProfile(value: unknown, fieldOf: (appleKey: string) => string = (k) => k): DepProfileIssue[] {
  const out: DepProfileIssue[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [issue('(profile)', 'MALFORMED_REQUEST_BODY', 'NOT_AN_OBJECT', 'the profile must be a JSON object of Apple profile keys', 'error', 'stagebench')];
  }
  const p = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    const type = (APPLE_PROFILE_KEY_TYPES as Record<string, string>)[k];
    if (!type) {
      out.push(issue(fieldOf(k), 'UNKNOWN_KEY', 'UNKNOWN_KEY', `"${k}" is not a key of Apple's ADE profile; remove it (keys are snake_case, e.g. is_supervised)`, 'error', 'stagebench'));
      continue;
    }
    const ok = type === 'string[]' ? Array.isArray(v) && v.every((x) => typeof x === 'string') : typeof v === type;
    if (!ok) out.push(issue(fieldOf(k), 'TYPE_INVALID', 'TYPE_INVALID', `must be ${type === 'string[]' ? 'a list of strings' : `a ${type}`}, not ${JSON.stringify(v)}`, 'error', 'stagebench'));
  }
  if (out.some((i) => i.code === 'TYPE_INVALID')) return out;
  const q = p as Partial<AppleDepProfile>;

  if (q.profile_name === undefined) out.push(issue(fieldOf('profile_name'), 'CONFIG_NAME_REQUIRED', 'PROFILE_NAME_REQUIRED', 'the profile needs a name'));
  else if (q.profile_name.trim() === '') out.push(issue(fieldOf('profile_name'), 'CONFIG_NAME_INVALID', 'PROFILE_NAME_EMPTY', 'the profile name is empty; give a name'));
  else if (charCount(q.profile_name) > APPLE_PROFILE_LIMITS.profile_name) {
    out.push(issue(fieldOf('profile_name'), 'CONFIG_NAME_INVALID', 'PROFILE_NAME_TOO_LONG', `the profile name has ${charCount(q.profile_name)} characters; Apple allows at most ${APPLE_PROFILE_LIMITS.profile_name}`));
  }

  if (q.url === undefined) out.push(issue(fieldOf('url'), 'CONFIG_URL_REQUIRED', 'URL_REQUIRED', 'the MDM enrollment URL is missing; set the tenant\'s enrollment URL'));
  else if (q.url.trim() === '') out.push(issue(fieldOf('url'), 'CONFIG_URL_INVALID', 'URL_EMPTY', 'the MDM enrollment URL is empty'));
  else {
    const len = encodedUrlLength(q.url);
    if (len > APPLE_PROFILE_LIMITS.url) out.push(issue(fieldOf('url'), 'CONFIG_URL_INVALID', 'URL_TOO_LONG', `the URL has ${len} URL-encoded characters; Apple allows at most ${APPLE_PROFILE_LIMITS.url}`));
    const why = urlProblem(q.url, false);
    if (why) out.push(issue(fieldOf('url'), 'CONFIG_URL_INVALID', 'URL_NOT_RFC3986', why));
    else if (!q.url.startsWith('https:')) out.push(issue(fieldOf('url'), 'CONFIG_URL_INVALID', 'URL_NOT_HTTPS', 'the MDM enrollment URL should use https', 'warning'));
  }

  const maxLen = (key: 'department' | 'support_phone_number' | 'support_email_address' | 'org_magic', code: string, rule: string, label: string) => {
    const v = q[key];
    if (v !== undefined && charCount(v) > APPLE_PROFILE_LIMITS[key]) {
      out.push(issue(fieldOf(key), code, rule, `${label} has ${charCount(v)} characters; Apple allows at most ${APPLE_PROFILE_LIMITS[key]}`));
    }
  };
  maxLen('department', 'DEPARTMENT_INVALID', 'DEPARTMENT_TOO_LONG', 'the department');
  maxLen('support_phone_number', 'SUPPORT_PHONE_INVALID', 'SUPPORT_PHONE_TOO_LONG', 'the support phone number');
  maxLen('support_email_address', 'SUPPORT_EMAIL_INVALID', 'SUPPORT_EMAIL_TOO_LONG', 'the support email address');
  maxLen('org_magic', 'MAGIC_INVALID', 'ORG_MAGIC_TOO_LONG', 'org_magic');
  if (q.support_email_address !== undefined && q.support_email_address !== '' && !EMAIL.test(q.support_email_address)) {
    out.push(issue(fieldOf('support_email_address'), 'SUPPORT_EMAIL_INVALID', 'SUPPORT_EMAIL_FORMAT', `"${q.support_email_address}" is not an email address such as help@example.com`));
  }

  if (q.is_supervised === undefined) {
    out.push(issue(fieldOf('is_supervised'), 'FLAGS_INVALID', 'SUPERVISED_MISSING', 'set is_supervised explicitly (Apple answers FLAGS_INVALID when it is omitted)'));
  }
  if (q.is_mdm_removable === false && q.is_supervised !== true) {
    out.push(issue(fieldOf('is_mdm_removable'), 'FLAGS_INVALID', 'MDM_REMOVABLE_NEEDS_SUPERVISED', 'MDM Removable can be turned off only for supervised devices: turn Supervised on, or leave MDM Removable on'));
  }
  if (q.is_multi_user === true && q.is_supervised !== true) {
    out.push(issue(fieldOf('is_multi_user'), 'FLAGS_INVALID', 'MULTI_USER_NEEDS_SUPERVISED', 'Shared iPad (Multi-User) needs Supervised'));
  }
  if (q.await_device_configured === true && q.is_supervised !== true) {
    out.push(issue(fieldOf('await_device_configured'), 'FLAGS_INVALID', 'AWAIT_NEEDS_SUPERVISED', 'Await Device Configuration is ignored on unsupervised devices: turn Supervised on', 'warning'));
  }

  out.push(...localeIssues(q.language, q.region, (k) => fieldOf(k)));
  if (q.anchor_certs) out.push(...certificateListIssues(q.anchor_certs, fieldOf('anchor_certs')));
  if (q.supervising_host_certs) out.push(...certificateListIssues(q.supervising_host_certs, fieldOf('supervising_host_certs')));

  (q.skip_setup_items ?? []).forEach((k, i) => {
    const why = whyNotSkipKey(k);
    if (why) out.push(issue(`${fieldOf('skip_setup_items')}[${i}]`, 'SKIP_ITEM_INVALID', 'NOT_A_SKIP_KEY', why, 'error', 'stagebench'));
  });

  if (q.configuration_web_url !== undefined) {
    const why = urlProblem(q.configuration_web_url, true);
    if (why) out.push(issue(fieldOf('configuration_web_url'), 'CONFIGURATION_WEB_URL_INVALID', 'WEB_URL_NOT_HTTPS', why, 'error', 'stagebench'));
    else if (encodedUrlLength(q.configuration_web_url) > APPLE_PROFILE_LIMITS.url) {
      out.push(issue(fieldOf('configuration_web_url'), 'CONFIGURATION_WEB_URL_INVALID', 'URL_TOO_LONG', `the URL is longer than ${APPLE_PROFILE_LIMITS.url} characters`, 'error', 'stagebench'));
    }
  }
  if (q.devices && q.devices.length > APPLE_PROFILE_LIMITS.devicesPerRequest) {
    out.push(issue(fieldOf('devices'), 'DEVICES_TOO_MANY', 'DEVICES_TOO_MANY', `at most ${APPLE_PROFILE_LIMITS.devicesPerRequest} devices per request; assign the rest separately`, 'error', 'stagebench'));
  }
  return out;
}
