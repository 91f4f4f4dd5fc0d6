/**
 * "Require minimum OS version for enrollment": decides from a device's MachineInfo whether the
 * profile's rule applies, and builds the HTTP 403 answer Apple defines for it — error code
 * `com.apple.softwareupdate.required` (Apple schema `mdm/errors/softwareupdate.required.yaml`;
 * iOS 17, macOS 14) with `details.OSVersion` (required) and `details.BuildVersion` (optional; the
 * OS version wins when they disagree), as JSON or XML plist with a matching Content-Type.
 */
import { buildTypedPlist, type TypedPlistDict } from '../../profiles/plist-xml';
import { compareVersions } from '../../profiles/catalog';
import type { MinimumOsRequirement, MinimumOsVersion } from '../profiles/form';
import type { MachineInfo } from './machine-info';

/** Apple's error code for "update before enrolling". */
export const SOFTWARE_UPDATE_REQUIRED_CODE = 'com.apple.softwareupdate.required';

/** Platform of a MachineInfo PRODUCT (`iPhone15,2` → iOS, `Mac14,2` → macOS ...), or undefined when unknown. */
export function platformOfProduct(product: string): 'iOS' | 'macOS' | 'tvOS' | 'visionOS' | 'watchOS' | undefined {
  if (/^(iPhone|iPad|iPod)/.test(product)) return 'iOS';
  if (/^(Mac|iMac|MacBook|Macmini|MacPro|VirtualMac|ADP)/.test(product)) return 'macOS';
  if (/^AppleTV/.test(product)) return 'tvOS';
  if (/^RealityDevice/.test(product)) return 'visionOS';
  if (/^Watch/.test(product)) return 'watchOS';
  return undefined;
}

/** Splits `17.1 (a)` into the dotted version and the supplemental letter. */
function splitVersion(v: string): { version: string; extra: string } {
  const m = /^(\d+(?:\.\d+)*)\s*(?:\(([a-z])\))?$/.exec(v.trim());
  if (!m) throw new Error(`"${v}" is not an OS version such as 17.1 or "17.1 (a)"`);
  return { version: m[1], extra: m[2] ?? '' };
}

/** The decision for one device: whether to answer 403, why, and the rule that applies. */
export interface SoftwareUpdateDecision {
  required: boolean;
  reason: string;
  platform?: 'iOS' | 'macOS';
  rule?: MinimumOsVersion;
}

/**
 * Decides whether `info` must update before enrolling under `req`. Applies only when the rule is
 * on, has a version for the device's platform (iOS/iPadOS or macOS), the device says
 * `MDM_CAN_REQUEST_SOFTWARE_UPDATE` true (Apple: send the error only then) and reports an
 * `OS_VERSION` below the minimum (a supplemental version `(a)`, `(b)` counts above the base
 * release). Never throws for device data; throws Error when the rule's version is malformed.
 */
export function softwareUpdateDecision(info: MachineInfo, req: MinimumOsRequirement): SoftwareUpdateDecision {
  if (!req.enabled) return { required: false, reason: 'the profile does not require a minimum OS version' };
  const os = platformOfProduct(info.PRODUCT);
  if (os !== 'iOS' && os !== 'macOS') return { required: false, reason: `no minimum OS rule for ${os ?? `product ${info.PRODUCT}`}` };
  const rule = req[os];
  if (!rule) return { required: false, reason: `the profile sets no minimum ${os} version`, platform: os };
  const min = splitVersion(rule.osVersion);
  if (info.MDM_CAN_REQUEST_SOFTWARE_UPDATE !== true) {
    return { required: false, reason: 'the device cannot be asked to update during enrollment (MDM_CAN_REQUEST_SOFTWARE_UPDATE is not true: iOS < 17 or macOS < 14)', platform: os, rule };
  }
  if (!info.OS_VERSION) return { required: false, reason: 'the device does not report OS_VERSION', platform: os, rule };
  let have: { version: string; extra: string };
  try {
    have = splitVersion(info.OS_VERSION);
  } catch {
    return { required: false, reason: `the device reports an unreadable OS_VERSION "${info.OS_VERSION}"`, platform: os, rule };
  }
  const extra = (info.SUPPLEMENTAL_OS_VERSION_EXTRA ?? '').replace(/[()\s]/g, '') || have.extra;
  const cmp = compareVersions(have.version, min.version);
  const below = cmp < 0 || (cmp === 0 && min.extra !== '' && extra < min.extra);
  const shown = `${have.version}${extra ? ` (${extra})` : ''}`;
  return below
    ? { required: true, reason: `${os} ${shown} is below the required ${rule.osVersion}`, platform: os, rule }
    : { required: false, reason: `${os} ${shown} meets the required ${rule.osVersion}`, platform: os, rule };
}

/** An HTTP response to send: status, headers and body bytes, plus the document it encodes. */
export interface EnrollmentErrorResponse {
  status: 403;
  headers: { 'Content-Type': string };
  body: Buffer;
  document: { code: string; message?: string; description?: string; details: { OSVersion: string; BuildVersion?: string } };
}

/**
 * Builds Apple's 403 `com.apple.softwareupdate.required` answer for `rule`: JSON
 * (`application/json`) or XML plist (`application/xml`). `message` is shown to the user when the
 * device can; `description` is for the device's logs only. Throws Error for a malformed OSVersion.
 */
export function softwareUpdateRequiredResponse(rule: MinimumOsVersion, opts: { message?: string; description?: string; format?: 'json' | 'plist' } = {}): EnrollmentErrorResponse {
  splitVersion(rule.osVersion);
  const details: { OSVersion: string; BuildVersion?: string } = { OSVersion: rule.osVersion.trim() };
  if (rule.buildVersion?.trim()) details.BuildVersion = rule.buildVersion.trim();
  const document: EnrollmentErrorResponse['document'] = {
    code: SOFTWARE_UPDATE_REQUIRED_CODE,
    ...(opts.message?.trim() ? { message: opts.message.trim() } : {}),
    ...(opts.description?.trim() ? { description: opts.description.trim() } : {}),
    details,
  };
  if (opts.format === 'plist') {
    return { status: 403, headers: { 'Content-Type': 'application/xml' }, body: buildTypedPlist(document as unknown as TypedPlistDict), document };
  }
  return { status: 403, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(document), 'utf8'), document };
}

/**
 * The whole check for an enrollment request: the 403 answer when `info` must update under `req`
 * (with the rule's message), or undefined to proceed with enrollment.
 */
export function enrollmentSoftwareUpdateError(info: MachineInfo, req: MinimumOsRequirement, format: 'json' | 'plist' = 'json'): EnrollmentErrorResponse | undefined {
  const d = softwareUpdateDecision(info, req);
  if (!d.required || !d.rule) return undefined;
  return softwareUpdateRequiredResponse(d.rule, { message: req.message, description: d.reason, format });
}
