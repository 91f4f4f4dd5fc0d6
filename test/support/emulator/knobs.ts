/**
 * Per-device behaviour knobs of the emulator: how the trust prompt answers, passcode lock,
 * activation state, reply delay, and unplugging in the middle of an operation. All fields are
 * optional and may be changed at run time through `EmulatedDevice.knobs`.
 */
import type { PlistDict } from '../../../main/apple/wire';

/**
 * Trust-dialog behaviour for lockdownd Pair (../shared/reference/device-protocols.md §2.4 step 6):
 * "accept" pairs at once; "deny" answers UserDeniedPairing; `{ pendingAttempts: K }` answers
 * PairingDialogResponsePending to the first K Pair requests, then accepts.
 */
export type TrustBehaviour = 'accept' | 'deny' | { pendingAttempts: number };

/**
 * Unplug the device when it receives request `request` (a lockdownd `Request` such as
 * "StartService", or an MCInstall `RequestType` such as "InstallProfile") for the
 * `occurrence`-th time (1-based, default 1). `timing` "before-reply" (default) drops every
 * connection of the device instead of answering; "after-reply" answers first.
 */
export interface DetachTrigger {
  request: string;
  occurrence?: number;
  timing?: 'before-reply' | 'after-reply';
}

/** Behaviour knobs of one emulated device. */
export interface DeviceKnobs {
  /** Trust prompt behaviour; default "accept". */
  trust?: TrustBehaviour;
  /** Passcode set and screen locked: Pair answers PasswordProtected, GetValue PasswordProtected is true. Default false. */
  passcodeLocked?: boolean;
  /** lockdownd ActivationState ("Activated", "Unactivated", "FactoryActivated", …). Default "Activated". */
  activationState?: string;
  /** Milliseconds to wait before every lockdownd and service reply. Default 0. */
  responseDelayMs?: number;
  /** Mid-operation unplug trigger. */
  detachAfter?: DetachTrigger;
  /** Initial MCInstall cloud configuration (GetCloudConfiguration); default none. */
  cloudConfiguration?: PlistDict;
  /** Overrides of lockdownd default-domain values (e.g. `{ DeviceName: 'Lab 7' }`). */
  values?: PlistDict;
  /**
   * The Automated Device Enrollment configuration Apple's servers hold for this device (what
   * MCInstall DownloadAndApplyCloudConfiguration fetches). Absent = the device is not assigned to
   * an MDM server in Apple Business Manager, and the request fails.
   */
  adeCloudConfiguration?: PlistDict;
  /** Milliseconds between the detach caused by EraseDevice and the re-attach of the wiped device. Default 300. */
  eraseReattachMs?: number;
}

/** Parses the CLI form of a trust behaviour: "accept", "deny" or "pending:K". Throws on anything else. */
export function parseTrust(text: string): TrustBehaviour {
  if (text === 'accept' || text === 'deny') return text;
  const m = /^pending:(\d+)$/.exec(text);
  if (m) return { pendingAttempts: Number(m[1]) };
  throw new Error(`invalid trust behaviour "${text}" (expected accept, deny or pending:K)`);
}
