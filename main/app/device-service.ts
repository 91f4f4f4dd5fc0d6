/**
 * Devices at the bench: what usbmuxd reports attached, merged with what the cache knows, plus the
 * per-device operations (info, pair, installed profiles, install) and a live watch (usbmuxd Listen).
 */
import { getDeviceInfo, installProfile, listDevices, listProfiles, pairDevice, watchDevices, type DeviceInfo, type DeviceOptions, type ProfileList } from '../apple';
import { appendAudit, getDevice, listDevices as listCachedDevices, recordDeviceSeen, type Db, type DeviceRecord } from '../store';
import type { DeviceRow } from './types';

/** Device operations. Errors: UsbmuxUnavailableError (usbmuxd not running), DeviceNotFoundError, LockdownError, MCInstallError. */
export interface DeviceService {
  /** Attached devices (with cached facts) followed by cached devices not attached now when `includeCached`. */
  list(opts?: { includeCached?: boolean }): Promise<DeviceRow[]>;
  /** Reads lockdownd facts (session when paired) and records them in the cache. */
  info(udid: string): Promise<DeviceInfo>;
  /** Pairs (the operator taps Trust); `onPrompt` receives the instruction while waiting. */
  pair(udid: string, onPrompt?: (message: string) => void, timeoutMs?: number): Promise<void>;
  /** Installed configuration profiles (MCInstall GetProfileList). */
  profiles(udid: string): Promise<ProfileList>;
  /** Installs profile bytes through MCInstall and audits the outcome. */
  installProfile(udid: string, bytes: Uint8Array, label: string): Promise<void>;
  /**
   * Watches attach/detach (usbmuxd Listen); `onChange` receives the full list after each event.
   * Resolves with a stop function. Rejects with UsbmuxUnavailableError when usbmuxd is not there.
   */
  watch(onChange: (devices: DeviceRow[]) => void): Promise<() => void>;
}

function row(udid: string, attached: { deviceId: number; paired: boolean } | null, cached: DeviceRecord | null): DeviceRow {
  return {
    udid,
    deviceId: attached?.deviceId ?? null,
    attached: !!attached,
    paired: attached?.paired ?? false,
    productType: cached?.productType ?? null,
    productVersion: cached?.productVersion ?? null,
    deviceClass: cached?.deviceClass ?? null,
    deviceName: cached?.deviceName ?? null,
    serialNumber: cached?.serialNumber ?? null,
    firstSeen: cached?.firstSeen ?? null,
    lastSeen: cached?.lastSeen ?? null,
  };
}

/** Builds the device service for one usbmuxd address (`opts.socketAddress`, default env/platform). */
export function createDeviceService(db: Db, actor: string, opts: DeviceOptions = {}): DeviceService {
  const record = (info: DeviceInfo): void =>
    recordDeviceSeen(db, {
      udid: info.udid,
      serialNumber: info.SerialNumber ?? null,
      uniqueChipId: info.UniqueChipID === undefined ? null : String(info.UniqueChipID),
      productType: info.ProductType ?? null,
      productVersion: info.ProductVersion ?? null,
      deviceClass: info.DeviceClass ?? null,
      deviceName: info.DeviceName ?? null,
    });

  const service: DeviceService = {
    async list({ includeCached = false } = {}) {
      const attached = await listDevices(opts);
      const rows: DeviceRow[] = [];
      for (const d of attached) {
        let cached = getDevice(db, d.udid);
        if (!cached?.productType) {
          // First sighting: read the pre-pairing facts (or session facts when paired) so the bench shows kind, model and OS.
          try {
            record(await getDeviceInfo(d.udid, opts));
          } catch {
            recordDeviceSeen(db, { udid: d.udid });
          }
          cached = getDevice(db, d.udid);
        } else {
          recordDeviceSeen(db, { udid: d.udid });
        }
        rows.push(row(d.udid, d, cached));
      }
      if (includeCached) {
        for (const c of listCachedDevices(db)) if (!attached.some((a) => a.udid === c.udid)) rows.push(row(c.udid, null, c));
      }
      return rows;
    },
    async info(udid) {
      const info = await getDeviceInfo(udid, opts);
      record(info);
      return info;
    },
    async pair(udid, onPrompt, timeoutMs) {
      try {
        await pairDevice(udid, { ...opts, pairTimeoutMs: timeoutMs, onPrompt: (p) => onPrompt?.(p.message) });
        appendAudit(db, { actor, action: 'device.pair', target: udid, outcome: 'success' });
      } catch (err) {
        appendAudit(db, { actor, action: 'device.pair', target: udid, outcome: 'failure', detail: (err as Error).message });
        throw err;
      }
    },
    profiles: (udid) => listProfiles(udid, opts),
    async installProfile(udid, bytes, label) {
      try {
        await installProfile(udid, bytes, opts);
        appendAudit(db, { actor, action: 'device.install-profile', target: udid, outcome: 'success', detail: label });
      } catch (err) {
        appendAudit(db, { actor, action: 'device.install-profile', target: udid, outcome: 'failure', detail: `${label}: ${(err as Error).message}` });
        throw err;
      }
    },
    async watch(onChange) {
      const listener = await watchDevices(opts);
      let stopped = false;
      let chain = Promise.resolve();
      const refresh = (): void => {
        chain = chain.then(async () => {
          if (stopped) return;
          try {
            onChange(await service.list());
          } catch {
            // usbmuxd went away between the event and the listing: the next event or close will tell.
          }
        });
      };
      listener.on('attached', refresh);
      listener.on('detached', refresh);
      listener.on('paired', refresh);
      listener.on('close', () => {
        if (!stopped) onChange([]);
      });
      refresh();
      return () => {
        stopped = true;
        listener.close();
      };
    },
  };
  return service;
}
