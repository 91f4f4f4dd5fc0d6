/**
 * Erase All Content and Settings through MCInstall (go-ios `ios erase`: Flush →
 * GetCloudConfiguration → `EraseDevice {PreserveDataPlan, DisallowProximitySetup}`), then forget
 * the now stale pair record in usbmuxd. The device acknowledges, then wipes itself and drops every
 * connection: a drop after Acknowledged is success. ../shared/reference/device-protocols.md §3.2, §3.6.
 */
import { withPairedSession, type PairingPolicy } from '../supervision';
import type { DeviceOptions } from '../device';
import { UsbmuxClient } from '../usbmux';
import { ConnectionClosedError } from '../wire';
import { EraseUnconfirmedError } from './errors';

/** Erase options (Apple's EraseDevice keys). */
export interface EraseOptions {
  /** PreserveDataPlan: keep the eSIM data plan (default true, as go-ios). */
  preserveDataPlan?: boolean;
  /** DisallowProximitySetup: forbid Quick Start from a nearby device after the erase (default false). */
  disallowProximitySetup?: boolean;
  /** Wait until the erased device attaches again (ms; 0 = do not wait, default 0). */
  waitForReattachMs?: number;
}

/** What `eraseDevice()` observed. */
export interface EraseResult {
  udid: string;
  /** The device acknowledged EraseDevice. */
  acknowledged: true;
  /** The host's pair record was deleted from usbmuxd (the device forgets every pairing). */
  pairRecordDeleted: boolean;
  /** Whether the device was seen attached again within `waitForReattachMs` (null when not waited for). */
  reattached: boolean | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Erases `udid`. Pairs first under `policy` when needed. Throws EraseUnconfirmedError when the
 * connection drops before the acknowledgement, MCInstallError when the device refuses, plus the
 * errors of `withPairedSession`.
 */
export async function eraseDevice(udid: string, policy: PairingPolicy, options: EraseOptions = {}, opts: DeviceOptions = {}): Promise<EraseResult> {
  let deviceUdid = udid;
  await withPairedSession(udid, policy, async (s) => {
    deviceUdid = s.udid;
    const mc = await s.mcinstall();
    await mc.flush();
    await mc.getCloudConfiguration();
    try {
      await mc.request('EraseDevice', {
        PreserveDataPlan: options.preserveDataPlan !== false,
        DisallowProximitySetup: options.disallowProximitySetup === true,
      });
    } catch (err) {
      if (err instanceof ConnectionClosedError) throw new EraseUnconfirmedError(deviceUdid);
      throw err;
    }
  }, opts);
  const usbmux = new UsbmuxClient({ socketAddress: opts.socketAddress, timeoutMs: opts.timeoutMs, progName: opts.label });
  const pairRecordDeleted = await usbmux.deletePairRecord(deviceUdid).catch(() => false);
  let reattached: boolean | null = null;
  const wait = options.waitForReattachMs ?? 0;
  if (wait > 0) {
    reattached = await waitForReattach(usbmux, deviceUdid, wait);
  }
  return { udid: deviceUdid, acknowledged: true, pairRecordDeleted, reattached };
}

/** Polls usbmuxd ListDevices until `udid` has detached and attached again (new DeviceID), or `timeoutMs` passes. */
async function waitForReattach(usbmux: UsbmuxClient, udid: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let firstId: number | null | undefined;
  while (Date.now() < deadline) {
    const d = (await usbmux.listDevices().catch(() => [])).find((x) => x.udid === udid);
    const id = d ? d.DeviceID : null;
    if (firstId === undefined) firstId = id;
    else if (id !== null && id !== firstId) return true;
    if (firstId !== undefined && firstId !== null && id === null) firstId = null;
    await sleep(100);
  }
  return false;
}
