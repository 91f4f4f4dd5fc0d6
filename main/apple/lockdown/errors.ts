/**
 * lockdownd error strings (reply key `Error`) mapped to a typed LockdownError with a hint for
 * the user. Codes from libimobiledevice `src/lockdown.c` `lockdownd_error_str_map`;
 * ../shared/reference/device-protocols.md §2.2.
 */

/** What to tell the user for each lockdownd error code (Apple's strings as keys). */
const HINTS: Readonly<Record<string, string>> = {
  InvalidHostID: 'pairing is gone (the device no longer knows this host); pair again',
  MissingHostID: 'the request lacked a HostID; pair the device first',
  InvalidPairRecord: 'the pair record was rejected; unpair and pair again',
  MissingPairRecord: 'no pair record on the device for this host; pair again',
  SavePairRecordFailed: 'the device could not save the pairing; restart it and pair again',
  PasswordProtected: 'the device is locked with a passcode; unlock it and try again',
  UserDeniedPairing: "the user tapped Don't Trust; unplug and replug the device, then tap Trust",
  PairingDialogResponsePending: 'the Trust dialog is waiting; unlock the device and tap Trust',
  PairingProhibitedOverThisConnection: 'pairing is not allowed over this connection (use USB)',
  MCProtected: 'a configuration profile forbids pairing with this host (supervised device)',
  MCChallengeRequired: 'the supervised device requires supervised pairing with the organisation certificate',
  FMiPProtected: 'Find My protects this device; turn it off on the device',
  EscrowLocked: 'the device has not been unlocked since it restarted; unlock it once and try again',
  SessionActive: 'a session is already running on this connection',
  SessionInactive: 'no session is running; start a session (pair first) before this request',
  MissingSessionID: 'StopSession without a SessionID',
  InvalidSessionID: 'the session ID is not valid any more; reconnect',
  MissingService: 'StartService without a Service name',
  InvalidService: 'the device does not offer this service (or not in its current state)',
  ServiceProhibited: 'the device refuses to start this service (restricted, or not activated)',
  ServiceLimit: 'too many connections to this service; close others and retry',
  GetProhibited: 'the device refuses to reveal this value (pair and start a session first)',
  SetProhibited: 'the device refuses to change this value',
  RemoveProhibited: 'the device refuses to remove this value',
  ImmutableValue: 'this value cannot be changed',
  MissingKey: 'the request lacked a Key',
  MissingValue: 'the device has no such value',
  InvalidResponse: 'the device did not understand the request',
  InvalidActivationRecord: 'the activation record is not valid',
  MissingActivationRecord: 'the device has no activation record; activate it first',
  NotActivated: 'the device is not activated; activate it first',
};

/**
 * A lockdownd request failed. `code` is Apple's error string exactly as received (e.g.
 * "InvalidHostID", "PasswordProtected"); `request` the Request name. The message adds what to do.
 */
export class LockdownError extends Error {
  constructor(readonly request: string, readonly code: string, detail?: string) {
    super(`lockdownd ${request} failed: ${code}: ${detail ?? HINTS[code] ?? 'unexpected error from the device'}`);
    this.name = 'LockdownError';
  }
}

/** The user-facing hint for a lockdownd error code, or undefined when none is known. */
export function lockdownErrorHint(code: string): string | undefined {
  return HINTS[code];
}

/** A lockdownd reply lacked a key the protocol promises (e.g. StartService without Port). */
export class LockdownProtocolError extends Error {
  constructor(request: string, detail: string) {
    super(`lockdownd ${request}: unexpected reply: ${detail}`);
    this.name = 'LockdownProtocolError';
  }
}

/** usbmuxd holds no pair record for the device: the operation needs pairing first. */
export class NotPairedError extends Error {
  constructor(readonly udid: string) {
    super(`device ${udid} is not paired with this host; pair it first (stagebench pair) and tap Trust on the device`);
    this.name = 'NotPairedError';
  }
}
