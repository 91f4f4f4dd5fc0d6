/**
 * Prepare and erase failures, each with what the operator must do. MCInstall error 14002 ("cloud
 * configuration already present", pymobiledevice3 `ERROR_CLOUD_CONFIGURATION_ALREADY_PRESENT`)
 * becomes CloudConfigurationPresentError carrying the `erase` remediation.
 * ../shared/reference/device-protocols.md §3.1, §3.5, §3.6.
 */

/** What fixes a failed prepare: `erase` the device (then prepare again), or `activate` it first. */
export type PrepareRemediation = 'erase' | 'activate';

/** Invalid prepare input (a skip key, language, time zone, flag combination). CLI exit code 2. */
export class PrepareInputError extends Error {
  /** The CLI maps this to exit status 2 (invalid input). */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'PrepareInputError';
  }
}

/**
 * The device already has a cloud configuration (prepared before, or ADE-configured): MCInstall
 * refuses a new one with error 14002 until the device is erased.
 */
export class CloudConfigurationPresentError extends Error {
  readonly remediation: PrepareRemediation = 'erase';
  /** MCInstall ErrorCode (14002) when the device reported it; undefined when detected by GetCloudConfiguration before writing. */
  readonly code: number | undefined;
  constructor(readonly udid: string, code?: number) {
    super(`${udid} already has a cloud configuration (it was prepared before${code === 14002 ? '; MCInstall error 14002' : ''}); erase the device first (stagebench erase --udid ${udid}), then prepare it again`);
    this.name = 'CloudConfigurationPresentError';
    this.code = code;
  }
}

/** lockdownd ActivationState is "Unactivated": prepare needs an activated device (go-ios prepare step 1). */
export class DeviceNotActivatedError extends Error {
  readonly remediation: PrepareRemediation = 'activate';
  constructor(readonly udid: string) {
    super(`${udid} is not activated (ActivationState Unactivated); activate it first (connect it to a network in Setup Assistant, or activate it with Apple Configurator), then prepare it`);
    this.name = 'DeviceNotActivatedError';
  }
}

/** The device closed the MCInstall connection before acknowledging EraseDevice: it may or may not be erasing. */
export class EraseUnconfirmedError extends Error {
  constructor(readonly udid: string) {
    super(`${udid} disconnected before acknowledging the erase request; check the device screen: if it is not erasing, reconnect it and erase again`);
    this.name = 'EraseUnconfirmedError';
  }
}
