/**
 * A paired lockdownd TLS session that pairs on demand: when usbmuxd holds no pair record, or the
 * device no longer knows it (InvalidHostID — after an erase, or after a cloud configuration with
 * `AllowPairing` false deleted the pairings), it pairs first — supervised with the organisation
 * identity when one is given (no Trust dialog, §2.5), otherwise (or when `allowTrustPrompt` and the
 * device is not supervised by that identity) with the Trust dialog (§2.4) — then runs the
 * callback inside `withSession` (main/apple/device.ts).
 */
import { withSession, type DeviceOptions, type DeviceSession } from '../device';
import { LockdownClient, LockdownError, NotPairedError, performPairing, type PairingPrompt } from '../lockdown';
import { UsbmuxClient, DeviceNotFoundError } from '../usbmux';
import type { SupervisorIdentity } from './challenge';
import { SupervisedPairingRefusedError } from './errors';
import { performSupervisedPairing } from './pair-supervised';

/** How to pair when a session needs pairing first. Times in milliseconds. */
export interface PairingPolicy {
  /** Organisation identity for supervised pairing; absent = Trust-dialog pairing only. */
  identity?: SupervisorIdentity | null;
  /** Fall back to the Trust dialog when the device is not supervised by `identity` (default true without identity, false with one). */
  allowTrustPrompt?: boolean;
  /** Time the user has to tap Trust (default 120 000). */
  pairTimeoutMs?: number;
  /** Retry interval while the Trust dialog is pending (default 1 000). */
  pollIntervalMs?: number;
  /** Called when the device shows its Trust dialog. */
  onPrompt?: (prompt: PairingPrompt) => void;
}

/** How the device got paired by `pairWithPolicy()`. */
export type PairingMethod = 'supervised' | 'trust';

function usbmuxFor(opts: DeviceOptions): UsbmuxClient {
  return new UsbmuxClient({ socketAddress: opts.socketAddress, timeoutMs: opts.timeoutMs, progName: opts.label });
}

/**
 * Pairs `udid` now under `policy` and saves the record in usbmuxd (replacing a stale one).
 * Returns how it paired. Throws DeviceNotFoundError, SupervisedPairingRefusedError (supervised
 * only, no fallback allowed), LockdownError (UserDeniedPairing, PasswordProtected,
 * PairingDialogResponsePending after the timeout, MCProtected ...).
 */
export async function pairWithPolicy(udid: string, policy: PairingPolicy, opts: DeviceOptions = {}): Promise<PairingMethod> {
  const usbmux = usbmuxFor(opts);
  const devices = await usbmux.listDevices();
  const norm = (s: string): string => s.replace(/-/g, '').toUpperCase();
  const device = devices.find((d) => norm(d.udid) === norm(udid));
  if (!device) throw new DeviceNotFoundError(udid, devices.map((d) => d.udid));
  const allowTrust = policy.allowTrustPrompt ?? !policy.identity;
  const trustPair = async (): Promise<PairingMethod> => {
    const client = await LockdownClient.connect(usbmux, device, { timeoutMs: opts.timeoutMs, label: opts.label });
    try {
      await performPairing(client, { timeoutMs: policy.pairTimeoutMs, pollIntervalMs: policy.pollIntervalMs, onPrompt: policy.onPrompt });
      return 'trust';
    } finally {
      client.close();
    }
  };
  if (!policy.identity) return trustPair();
  const client = await LockdownClient.connect(usbmux, device, { timeoutMs: opts.timeoutMs, label: opts.label });
  try {
    await performSupervisedPairing(client, policy.identity, { acceptUnsupervised: allowTrust });
    return 'supervised';
  } catch (err) {
    if (!(err instanceof SupervisedPairingRefusedError) || err.reason !== 'unknown-supervisor' || !allowTrust) throw err;
  } finally {
    client.close();
  }
  return trustPair();
}

/**
 * Runs `fn` in a paired TLS session with `udid`, pairing first under `policy` when there is no
 * pair record or the device forgot it (InvalidHostID; the stale record is deleted). Pairs at most
 * once. Throws as `withSession` and `pairWithPolicy`, plus whatever `fn` throws.
 */
export async function withPairedSession<T>(udid: string, policy: PairingPolicy, fn: (session: DeviceSession) => Promise<T>, opts: DeviceOptions = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let entered = false;
    try {
      return await withSession(udid, (s) => {
        entered = true;
        return fn(s);
      }, opts);
    } catch (err) {
      if (entered || attempt > 0) throw err;
      const stale = err instanceof LockdownError && err.code === 'InvalidHostID';
      if (!(err instanceof NotPairedError) && !stale) throw err;
      if (stale) await usbmuxFor(opts).deletePairRecord(udid).catch(() => false);
      await pairWithPolicy(udid, policy, opts);
    }
  }
}
