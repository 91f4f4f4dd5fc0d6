/**
 * Enumerated values of the contract (no zod), importable by the renderer without pulling the
 * schemas into its bundle. `./contract` builds its schemas from these lists.
 */

/** Staging step names, in order (`StageStepName`). */
export const STAGE_STEPS = ['pair', 'info', 'wifi-profile', 'enrollment-profile', 'verify'] as const;

/** Wi-Fi `EncryptionType` values of `com.apple.wifi.managed`, most common first. */
export const WIFI_ENCRYPTIONS = ['WPA2', 'WPA3', 'WPA', 'WEP', 'Any', 'None'] as const;

/** Profile targets (main/profiles `TargetOS`). */
export const PROFILE_TARGETS = ['ios', 'macos', 'tvos'] as const;

/** SCEP `Keysize` values. */
export const SCEP_KEY_SIZES = [1024, 2048, 4096] as const;
