/**
 * State of one emulated Apple device: identity, behaviour knobs, lazily generated key pair,
 * lockdownd value domains, remembered host pairings, installed configuration profiles, cloud
 * configuration, the per-device port table (lockdownd 62078 plus service ports opened by
 * StartService) and a log of every lockdownd / service request it received.
 */
import type { Duplex } from 'node:stream';
import type { PlistDict, PlistValue } from '../../../main/apple/wire';
import { DEVICE_MODELS, type DeviceModel } from './device-kinds';
import { generateDeviceKeyPair, type DeviceKeyPair } from './device-keys';
import type { DeviceIdentity } from './identity';
import type { DeviceKnobs } from './knobs';
import type { HostPairing } from './pair-record-check';

/** lockdownd's TCP port on the device (reached through usbmuxd Connect). */
export const LOCKDOWN_PORT = 62078;

/** One entry of the request log. `service` is "lockdownd" or the service name. */
export interface RequestLogEntry {
  /** Milliseconds since the epoch. */
  at: number;
  service: string;
  /** lockdownd `Request` or MCInstall `RequestType`. */
  request: string;
  /** Extra facts: Key/Domain for Get/SetValue, PayloadIdentifier for InstallProfile, Status, Error. */
  detail: Record<string, string | number | boolean>;
}

/** A configuration profile installed on the device (MCInstall InstallProfile). */
export interface InstalledProfile {
  PayloadIdentifier: string;
  PayloadUUID: string;
  PayloadVersion: number;
  PayloadDisplayName?: string;
  PayloadDescription?: string;
  PayloadRemovalDisallowed: boolean;
  /** PayloadType of every payload in PayloadContent, in order. */
  payloadTypes: string[];
  /** Whether the profile arrived wrapped in a verified CMS signature. */
  signed: boolean;
  /** True when installed with InstallProfileSilent on an escalated (supervised) connection. */
  silent?: boolean;
  /** The decoded top-level profile dictionary. */
  profile: PlistDict;
  /** The bytes received in `Payload`. */
  raw: Buffer;
  installedAt: number;
}

/** Handles a connection to a device port; `leftover` holds bytes already read after Connect. */
export type PortHandler = (socket: Duplex, leftover: Buffer) => void;

/** One emulated device. Created by the emulator; tests read and tweak it through this object. */
export class EmulatedDevice {
  /** usbmuxd DeviceID; assigned at each attach. */
  deviceId = 0;
  /** True while plugged in. */
  attached = false;
  /** Behaviour knobs; mutable at run time. */
  readonly knobs: DeviceKnobs;
  readonly model: DeviceModel;
  /** Host pairings by HostID. */
  readonly pairings = new Map<string, HostPairing>();
  /** Installed profiles in installation order (OrderedIdentifiers). */
  readonly profiles: InstalledProfile[] = [];
  /** Every request received, in order. */
  readonly requestLog: RequestLogEntry[] = [];
  /** MCInstall cloud configuration, or null when none is set. */
  cloudConfiguration: PlistDict | null;
  /** Number of Pair requests seen (drives the pending trust prompt). */
  pairAttempts = 0;
  /** Non-default lockdownd domains (com.apple.international, …) and values set with SetValue. */
  readonly domains = new Map<string, PlistDict>();
  /** Values of the default domain changed by SetValue. */
  readonly defaultOverrides: PlistDict = {};
  /** Seconds the device clock runs ahead of the host (SetValue TimeIntervalSince1970 sets it). */
  clockOffsetSeconds = 0;
  /** Number of times the device was erased (MCInstall EraseDevice). */
  eraseCount = 0;
  /**
   * Called by MCInstall EraseDevice after the Acknowledged reply was written: the emulator wipes
   * the device (`wipe()`), unplugs it and plugs it back in after `knobs.eraseReattachMs`.
   */
  onErase: ((d: EmulatedDevice) => void) | null = null;

  private keys: Promise<DeviceKeyPair> | null = null;
  private readonly ports = new Map<number, PortHandler>();
  private readonly connections = new Set<Duplex>();
  private readonly requestCounts = new Map<string, number>();
  private nextServicePort = 49152;

  /** `onUnplug` is called when a detach trigger fires (the emulator then detaches this device). */
  constructor(readonly identity: DeviceIdentity, knobs: DeviceKnobs, private readonly onUnplug: (d: EmulatedDevice) => void) {
    this.knobs = { ...knobs };
    this.model = DEVICE_MODELS[identity.kind];
    this.cloudConfiguration = knobs.cloudConfiguration ? { ...knobs.cloudConfiguration } : null;
  }

  /** lockdownd UniqueDeviceID (= usbmuxd SerialNumber). */
  get udid(): string {
    return this.identity.UniqueDeviceID;
  }

  /** The key pair, generated on first call (async RSA-2048). */
  keyPair(): Promise<DeviceKeyPair> {
    if (!this.keys) this.keys = generateDeviceKeyPair();
    return this.keys;
  }

  /** Registers the handler for connections to `port`. */
  listenPort(port: number, handler: PortHandler): void {
    this.ports.set(port, handler);
  }

  /** Opens a one-shot service port (StartService) and returns its number. */
  openServicePort(handler: PortHandler): number {
    const port = this.nextServicePort++;
    if (this.nextServicePort > 65000) this.nextServicePort = 49152;
    this.ports.set(port, (socket, leftover) => {
      this.ports.delete(port);
      handler(socket, leftover);
    });
    return port;
  }

  /** True when the device is attached and something listens on `port` (else usbmuxd answers CONNREFUSED). */
  hasPort(port: number): boolean {
    return this.attached && this.ports.has(port);
  }

  /** Hands `socket` to the handler of `port`; the socket is closed when the device is detached. */
  connect(port: number, socket: Duplex, leftover: Buffer): void {
    const handler = this.ports.get(port);
    if (!handler || !this.attached) {
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    socket.once('close', () => this.connections.delete(socket));
    handler(socket, leftover);
  }

  /** Drops every open connection (cable pulled) and closes service ports. */
  dropConnections(): void {
    for (const s of this.connections) s.destroy();
    this.connections.clear();
    for (const port of [...this.ports.keys()]) if (port !== LOCKDOWN_PORT) this.ports.delete(port);
  }

  /**
   * Records a request and applies the detach trigger. Returns "before-reply" when the device
   * must unplug instead of answering, "after-reply" when it must unplug after answering, or null.
   */
  noteRequest(service: string, request: string, detail: RequestLogEntry['detail'] = {}): 'before-reply' | 'after-reply' | null {
    this.requestLog.push({ at: Date.now(), service, request, detail });
    const n = (this.requestCounts.get(request) ?? 0) + 1;
    this.requestCounts.set(request, n);
    const t = this.knobs.detachAfter;
    if (t && t.request === request && n === (t.occurrence ?? 1)) return t.timing ?? 'before-reply';
    return null;
  }

  /** Unplugs the device now (used by the detach trigger). */
  unplug(): void {
    this.onUnplug(this);
  }

  /** Waits for the configured response delay. */
  async replyDelay(): Promise<void> {
    const ms = this.knobs.responseDelayMs ?? 0;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  /** lockdownd ActivationState. */
  get activationState(): string {
    return this.knobs.activationState ?? 'Activated';
  }

  /**
   * Erase All Content and Settings: forgets installed profiles, the cloud configuration (so the
   * device is no longer supervised), every host pairing and every SetValue change (DeviceName,
   * Language, Locale, TimeZone, ...). ActivationState, identity and key pair stay (they belong to
   * the hardware / activation record). Does not unplug; see `onErase`.
   */
  wipe(): void {
    this.profiles.length = 0;
    this.cloudConfiguration = null;
    this.pairings.clear();
    this.domains.clear();
    for (const k of Object.keys(this.defaultOverrides)) delete this.defaultOverrides[k];
    this.pairAttempts = 0;
    this.clockOffsetSeconds = 0;
    this.eraseCount++;
  }

  /** Starts the erase sequence (wipe, unplug, re-plug later) through `onErase`, or just wipes when no emulator is attached. */
  requestErase(): void {
    if (this.onErase) this.onErase(this);
    else this.wipe();
  }

  /** Sets a value in a lockdownd domain (empty domain = default domain; TimeIntervalSince1970 sets the clock). */
  setValue(domain: string, key: string, value: PlistValue): void {
    if (!domain && key === 'TimeIntervalSince1970' && typeof value === 'number') {
      this.clockOffsetSeconds = value - Date.now() / 1000;
      return;
    }
    if (!domain) {
      this.defaultOverrides[key] = value;
      return;
    }
    const d = this.domains.get(domain) ?? {};
    d[key] = value;
    this.domains.set(domain, d);
  }
}
