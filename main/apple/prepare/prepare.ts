/**
 * Prepare a device at the bench, as Apple Configurator / cfgutil `prepare` and go-ios
 * `ios prepare` do (../shared/reference/device-protocols.md §3.5–3.6, §6):
 *
 * 1. lockdownd: ActivationState must not be "Unactivated"; DeviceClass → platform (iOS / tvOS).
 * 2. Validate everything (cloud configuration, skip keys for the platform, settings, profiles)
 *    before writing anything.
 * 3. MCInstall Flush → GetCloudConfiguration (present + ADE → "erase first") → HelloHostIdentifier →
 *    SetCloudConfiguration (manual) or DownloadAndApplyCloudConfiguration (Automated Device
 *    Enrollment); error 14002 → CloudConfigurationPresentError → GetCloudConfiguration read-back.
 * 4. lockdownd SetValue DeviceName, com.apple.international Language/Locale, TimeZone +
 *    TimeIntervalSince1970.
 * 5. Profiles: Wi-Fi first (an Apple TV must reach the corporate network), then the MDM
 *    enrollment profile — InstallProfileSilent after Escalate when supervised by the given
 *    organisation, else InstallProfile (staged for the user to approve).
 * 6. Operator instructions (Apple TV: cancel Apple TV Assistant).
 */
import { inspectProfile } from '../../profiles';
import type { DeviceOptions } from '../device';
import { MCInstallError } from '../mcinstall';
import { escalate, installProfileSilent, withPairedSession, type PairingPolicy, type SupervisorIdentity } from '../supervision';
import { isPlistDict, type PlistDict, type PlistValue } from '../wire';
import { buildCloudConfiguration, type CloudConfigurationSpec } from './cloud-configuration';
import { CloudConfigurationPresentError, DeviceNotActivatedError, PrepareInputError } from './errors';
import { operatorInstructions } from './instructions';
import { platformOfDeviceClass, type PreparePlatform } from './platform';
import { applyDeviceSettings, validateDeviceSettings, type AppliedSetting, type DeviceSettings } from './settings';

/** A prepare request for one device. Profile bytes are .mobileconfig files (signed or not). */
export interface PrepareSpec extends CloudConfigurationSpec, DeviceSettings {
  /** Automated Device Enrollment: the device downloads its configuration from Apple (DownloadAndApplyCloudConfiguration) instead of receiving one. */
  dep?: boolean;
  /** The organisation's supervision identity: supervised pairing and escalated (silent) profile installs. */
  identity?: SupervisorIdentity | null;
  /** Wi-Fi profile installed first (must hold a com.apple.wifi.managed payload). */
  wifiProfile?: Uint8Array;
  /** MDM enrollment profile installed after the Wi-Fi profile (must hold a com.apple.mdm payload). */
  enrollmentProfile?: Uint8Array;
}

/** A key whose stored value differs from what prepare sent (the device enforces some keys itself). */
export interface AdjustedKey {
  key: string;
  sent: PlistValue;
  stored: PlistValue | null;
}

/** A profile prepare installed. */
export interface PreparedProfile {
  kind: 'wifi' | 'enrollment';
  PayloadIdentifier: string;
  /** True = InstallProfileSilent on an escalated connection; false = InstallProfile (staged on unsupervised devices). */
  silent: boolean;
}

/** Outcome of `prepareDevice()`. */
export interface PrepareResult {
  udid: string;
  platform: PreparePlatform;
  ProductType?: string;
  ProductVersion?: string;
  mode: 'dep' | 'manual';
  /** IsSupervised of the stored cloud configuration. */
  supervised: boolean;
  /** The CloudConfiguration sent (manual) or null (dep). */
  sent: PlistDict | null;
  /** The cloud configuration the device holds afterwards (GetCloudConfiguration). */
  cloudConfiguration: PlistDict | null;
  /** Sent keys the device stored with another value (e.g. IsMDMUnremovable forced false). */
  adjustedByDevice: AdjustedKey[];
  settings: AppliedSetting[];
  profiles: PreparedProfile[];
  warnings: string[];
  /** What the operator must do on the device now. */
  instructions: string[];
}

function checkProfile(bytes: Uint8Array, kind: 'wifi' | 'enrollment'): string {
  const report = inspectProfile(bytes);
  const label = kind === 'wifi' ? 'Wi-Fi profile' : 'enrollment profile';
  if (!report.identifier) throw new PrepareInputError(`the ${label} has no PayloadIdentifier; check the file`);
  if (report.signed && !report.valid) throw new PrepareInputError(`the ${label}'s signature does not verify: ${report.problems.join('; ')}`);
  const needed = kind === 'wifi' ? 'com.apple.wifi.managed' : 'com.apple.mdm';
  if (!report.payloads.includes(needed)) throw new PrepareInputError(`the ${label} has no ${needed} payload; choose ${kind === 'wifi' ? 'a Wi-Fi' : 'an MDM enrollment'} profile`);
  return report.identifier;
}

/**
 * Checks the parts of `spec` that do not depend on the device (flag combinations, settings,
 * profiles). Returns the profile identifiers. Throws PrepareInputError.
 */
export function validatePrepareSpec(spec: PrepareSpec): { wifiId?: string; enrollmentId?: string } {
  if (spec.dep) {
    const manual: [string, boolean][] = [
      ['--supervised', spec.supervised === true], ['--skip / --skip-all', (spec.skip?.length ?? 0) > 0 || spec.skipAll === true],
      ['--forbid-pairing', spec.allowPairing === false], ['--mdm-unremovable', spec.mdmUnremovable === true],
      ['--configuration-url', spec.configurationUrl !== undefined], ['--auto-advance', spec.autoAdvanceSetup !== undefined],
    ];
    const clash = manual.filter(([, on]) => on).map(([f]) => f);
    if (clash.length) throw new PrepareInputError(`--dep takes the configuration from Apple Business Manager; ${clash.join(', ')} only apply to a manual prepare`);
  }
  validateDeviceSettings(spec);
  return {
    wifiId: spec.wifiProfile ? checkProfile(spec.wifiProfile, 'wifi') : undefined,
    enrollmentId: spec.enrollmentProfile ? checkProfile(spec.enrollmentProfile, 'enrollment') : undefined,
  };
}

function same(a: PlistValue | undefined, b: PlistValue | undefined): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isPlistDict(a) && isPlistDict(b)) return Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => same(a[k], b[k]));
  return a === b;
}

/**
 * Prepares `udid` (see the module comment). Pairs first when needed: supervised with
 * `spec.identity` when given, falling back to the Trust dialog for a device that is not
 * supervised yet (`policy` may override). Throws PrepareInputError (nothing written),
 * DeviceNotActivatedError, CloudConfigurationPresentError (remediation "erase"), MCInstallError,
 * EscalationRefusedError, LockdownError, and the pairing / transport errors of withPairedSession.
 */
export async function prepareDevice(udid: string, spec: PrepareSpec, policy: PairingPolicy = {}, opts: DeviceOptions = {}): Promise<PrepareResult> {
  const ids = validatePrepareSpec(spec);
  if (spec.supervised && !spec.identity) throw new PrepareInputError('supervising needs the organization identity (--org ID)');
  const pairing: PairingPolicy = { identity: spec.identity ?? null, allowTrustPrompt: true, ...policy };
  return withPairedSession(udid, pairing, async (s) => {
    const values = await s.lockdown.getValues();
    const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
    if (str('ActivationState') === 'Unactivated') throw new DeviceNotActivatedError(s.udid);
    const platform = platformOfDeviceClass(str('DeviceClass'));
    const osVersion = str('ProductVersion');
    const built = spec.dep ? null : buildCloudConfiguration(spec, platform, osVersion);

    const mc = await s.mcinstall();
    await mc.flush();
    // A manual prepare lets the device decide (SetCloudConfiguration answers 14002); ADE must be
    // checked here, because DownloadAndApplyCloudConfiguration acknowledges a configured device.
    const existing = await mc.getCloudConfiguration();
    if (existing && spec.dep) throw new CloudConfigurationPresentError(s.udid);
    await mc.helloHostIdentifier();
    try {
      if (built) await mc.request('SetCloudConfiguration', { CloudConfiguration: built.configuration });
      else await mc.request('DownloadAndApplyCloudConfiguration');
    } catch (err) {
      if (err instanceof MCInstallError && err.code === 14002) throw new CloudConfigurationPresentError(s.udid, 14002);
      throw err;
    }
    const stored = await mc.getCloudConfiguration();
    const adjustedByDevice: AdjustedKey[] = [];
    if (built) {
      for (const [key, sent] of Object.entries(built.configuration)) {
        const now = stored?.[key];
        if (!same(sent, now)) adjustedByDevice.push({ key, sent, stored: now ?? null });
      }
    }
    const warnings = [...(built?.warnings ?? [])];
    for (const a of adjustedByDevice) warnings.push(`the device stored ${a.key} = ${JSON.stringify(a.stored)} instead of ${JSON.stringify(a.sent)}`);

    const settings = await applyDeviceSettings(s.lockdown, spec);

    const supervised = stored?.IsSupervised === true;
    const silent = supervised && !!spec.identity;
    if (silent && (spec.wifiProfile || spec.enrollmentProfile)) await escalate(mc, spec.identity!, s.udid);
    const profiles: PreparedProfile[] = [];
    const install = async (kind: PreparedProfile['kind'], bytes: Uint8Array, id: string): Promise<void> => {
      if (silent) await installProfileSilent(mc, bytes);
      else await mc.installProfile(bytes);
      profiles.push({ kind, PayloadIdentifier: id, silent });
    };
    if (spec.wifiProfile) await install('wifi', spec.wifiProfile, ids.wifiId!);
    if (spec.enrollmentProfile) await install('enrollment', spec.enrollmentProfile, ids.enrollmentId!);

    return {
      udid: s.udid,
      platform,
      ProductType: str('ProductType'),
      ProductVersion: osVersion,
      mode: spec.dep ? 'dep' : 'manual',
      supervised,
      sent: built?.configuration ?? null,
      cloudConfiguration: stored,
      adjustedByDevice,
      settings,
      profiles,
      warnings,
      instructions: operatorInstructions({
        platform,
        productType: str('ProductType'),
        dep: spec.dep === true,
        supervised,
        wifiInstalled: profiles.some((p) => p.kind === 'wifi'),
        enrollmentInstalled: profiles.some((p) => p.kind === 'enrollment'),
        silent,
        configurationUrl: typeof stored?.ConfigurationURL === 'string',
      }),
    };
  }, opts);
}
