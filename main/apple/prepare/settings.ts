/**
 * Device settings written through lockdownd SetValue inside a paired session
 * (../shared/reference/device-protocols.md §2.3; go-ios `ios/lockdown_language_locale.go`,
 * `ios/lockdown_time_zone.go`): DeviceName (default domain), Language and Locale
 * (`com.apple.international`), TimeZone and TimeIntervalSince1970 (default domain, seconds).
 */
import type { LockdownClient } from '../lockdown';
import { PrepareInputError } from './errors';

/** Settings to apply; every field optional. */
export interface DeviceSettings {
  /** DeviceName, 1–63 characters. */
  deviceName?: string;
  /** Language: an ISO 639 code with optional script/region, e.g. "en", "de", "pt-BR", "zh-Hans". */
  language?: string;
  /** Locale: language_REGION, e.g. "en_US", "de_CH". */
  locale?: string;
  /** TimeZone: an IANA zone, e.g. "Europe/Zurich". Also sets TimeIntervalSince1970 to the host clock. */
  timeZone?: string;
}

const LANGUAGE = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/;
const LOCALE = /^[a-z]{2,3}(_[A-Z][a-z]{3})?(_([A-Z]{2}|\d{3}))?$/;

/** Validates `s` before anything is written. Throws PrepareInputError naming the bad value and the expected form. */
export function validateDeviceSettings(s: DeviceSettings): void {
  if (s.deviceName !== undefined) {
    const n = s.deviceName.trim();
    if (!n || [...n].length > 63) throw new PrepareInputError(`device name "${s.deviceName}" must be 1–63 characters`);
    if ([...n].some((c) => c.charCodeAt(0) < 0x20)) throw new PrepareInputError('device name must not contain control characters');
  }
  if (s.language !== undefined && !LANGUAGE.test(s.language)) {
    throw new PrepareInputError(`language "${s.language}" is not a language code; use e.g. en, de, fr, pt-BR, zh-Hans`);
  }
  if (s.locale !== undefined && !LOCALE.test(s.locale)) {
    throw new PrepareInputError(`locale "${s.locale}" is not a locale; use language_REGION, e.g. en_US, de_CH`);
  }
  if (s.timeZone !== undefined) {
    let ok = s.timeZone.includes('/') || s.timeZone === 'UTC';
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: s.timeZone });
    } catch {
      ok = false;
    }
    if (!ok) throw new PrepareInputError(`time zone "${s.timeZone}" is not an IANA time zone; use e.g. Europe/Zurich, America/New_York, UTC`);
  }
}

/** The keys set, in order, as `Domain:Key` (default domain without prefix), for reports and audit. */
export type AppliedSetting = 'DeviceName' | 'com.apple.international:Language' | 'com.apple.international:Locale' | 'TimeZone' | 'TimeIntervalSince1970';

/**
 * Validates, then writes `s` through `lockdown` (which must have an active session). Returns the
 * keys written. Throws PrepareInputError (nothing written) or LockdownError (e.g. SetProhibited).
 */
export async function applyDeviceSettings(lockdown: LockdownClient, s: DeviceSettings): Promise<AppliedSetting[]> {
  validateDeviceSettings(s);
  const done: AppliedSetting[] = [];
  if (s.deviceName !== undefined) {
    await lockdown.setValue(undefined, 'DeviceName', s.deviceName.trim());
    done.push('DeviceName');
  }
  if (s.language !== undefined) {
    await lockdown.setValue('com.apple.international', 'Language', s.language);
    done.push('com.apple.international:Language');
  }
  if (s.locale !== undefined) {
    await lockdown.setValue('com.apple.international', 'Locale', s.locale);
    done.push('com.apple.international:Locale');
  }
  if (s.timeZone !== undefined) {
    await lockdown.setValue(undefined, 'TimeZone', s.timeZone);
    done.push('TimeZone');
    await lockdown.setValue(undefined, 'TimeIntervalSince1970', Date.now() / 1000);
    done.push('TimeIntervalSince1970');
  }
  return done;
}
