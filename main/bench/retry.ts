/**
 * Which device errors are worth another attempt, and how long to wait between attempts.
 * Transient: a deadline passed (ReadTimeoutError), the connection dropped (ConnectionClosedError,
 * ECONNRESET/EPIPE), usbmuxd refused the port while the device boots (CONNREFUSED), a stale
 * DeviceID (BADDEV), a lost lockdownd session. A refusal by the device (UserDeniedPairing,
 * MCInstall errors, a bad profile) is final. Whether a transient error means "unplugged" is
 * decided by asking usbmuxd whether the UDID is still attached (runner.ts).
 */
import {
  ConnectionClosedError, DeviceNotFoundError, LockdownError, ReadTimeoutError, UsbmuxBadDeviceError, UsbmuxConnectionRefusedError,
} from '../apple';

/** Bounded retries of one step: `attempts` tries in total (≥ 1), exponential backoff in ms. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Default: 3 tries, 250 ms then 500 ms apart (capped at 2 s). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 2_000 };

/** Delay before try number `nextAttempt` (2 = first retry), ms. */
export function backoffMs(policy: RetryPolicy, nextAttempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, nextAttempt - 2));
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);
const TRANSIENT_LOCKDOWN = new Set(['SessionInactive', 'InvalidSessionID']);

/** True for errors after which the same step may succeed when tried again (see module doc). */
export function isTransientError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof ReadTimeoutError || err instanceof ConnectionClosedError) return true;
  if (err instanceof UsbmuxConnectionRefusedError || err instanceof UsbmuxBadDeviceError || err instanceof DeviceNotFoundError) return true;
  if (err instanceof LockdownError) return TRANSIENT_LOCKDOWN.has(err.code);
  const code = (err as NodeJS.ErrnoException).code;
  if (code && TRANSIENT_CODES.has(code)) return true;
  return err.cause !== undefined && isTransientError(err.cause);
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
