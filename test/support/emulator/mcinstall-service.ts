/**
 * Device-side `com.apple.mobile.MCInstall` service: reached through usbmuxd Connect to the port
 * lockdownd StartService returned, TLS with the pairing's DeviceCertificate right away, then
 * 4-byte big-endian plist frames `{RequestType, …}` answered with `{Status, …}`. Implements
 * HelloHostIdentifier, Flush, GetProfileList, InstallProfile (profile-check.ts), RemoveProfile,
 * GetCloudConfiguration, SetCloudConfiguration (14002 when one exists; AllowPairing false deletes
 * the host pairings), DownloadAndApplyCloudConfiguration (the `adeCloudConfiguration` knob plays
 * Apple's ADE service), Escalate (CertificateRejected unless the certificate is a supervisor host
 * certificate) / EscalateResponse (CMS over the Challenge) / ProceedWithKeybagMigration,
 * InstallProfileSilent (only on an escalated connection), EraseDevice (Acknowledged, then the
 * device wipes itself, drops every connection and re-attaches); anything else answers
 * CommandFormatError.
 * Reference: ../shared/reference/device-protocols.md §3 (pymobiledevice3 `mobile_config.py`,
 * go-ios `ios/mcinstall`, appium-ios-device `lib/mcinstall`).
 */
import type { Duplex } from 'node:stream';
import { decodePlist, isPlistDict, type PlistDict } from '../../../main/apple/wire';
import type { EmulatedDevice, InstalledProfile, PortHandler } from './emulated-device';
import { FrameChannel } from './frame-channel';
import type { HostPairing } from './pair-record-check';
import { ProfileRejected, checkProfile } from './profile-check';
import { checkChallengeResponse, isSupervisorCertificate, newChallenge, type PendingChallenge } from './supervision-check';
import { trace } from './trace';

/** Service name requested through lockdownd StartService. */
export const MCINSTALL_SERVICE = 'com.apple.mobile.MCInstall';

const ACK: PlistDict = { Status: 'Acknowledged' };

/** The GetProfileList reply for the device's installed profiles. */
export function profileListReply(device: EmulatedDevice): PlistDict {
  const manifest: PlistDict = {};
  const metadata: PlistDict = {};
  for (const p of device.profiles) {
    manifest[p.PayloadIdentifier] = { Description: p.PayloadDisplayName ?? p.PayloadIdentifier, IsActive: true };
    const meta: PlistDict = {
      PayloadDisplayName: p.PayloadDisplayName ?? p.PayloadIdentifier,
      PayloadRemovalDisallowed: p.PayloadRemovalDisallowed,
      PayloadUUID: p.PayloadUUID,
      PayloadVersion: p.PayloadVersion,
    };
    if (p.PayloadDescription !== undefined) meta.PayloadDescription = p.PayloadDescription;
    metadata[p.PayloadIdentifier] = meta;
  }
  return { ...ACK, OrderedIdentifiers: device.profiles.map((p) => p.PayloadIdentifier), ProfileManifest: manifest, ProfileMetadata: metadata };
}

/** Decodes RemoveProfile's ProfileIdentifier: a plain string, or binary/XML plist data of {PayloadIdentifier, …}. */
export function removalIdentifier(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) {
    try {
      const d = decodePlist(value, 'ProfileIdentifier');
      if (isPlistDict(d) && typeof d.PayloadIdentifier === 'string') return d.PayloadIdentifier;
      if (typeof d === 'string') return d;
    } catch {
      return Buffer.from(value).toString('utf8');
    }
  }
  return null;
}

/** Per-connection MCInstall state: escalation (§3.4) and a pending erase. */
interface McConnection {
  /** Challenge handed out by Escalate, until EscalateResponse. */
  escalation: PendingChallenge | null;
  /** True after a valid EscalateResponse: supervised requests (InstallProfileSilent) are allowed. */
  escalated: boolean;
  /** Set by EraseDevice: erase once the reply is written. */
  eraseAfterReply: boolean;
}

function mcError(code: number, domain: string, text: string): PlistDict {
  return { Status: 'Error', ErrorChain: [{ ErrorDomain: domain, ErrorCode: code, LocalizedDescription: text, USEnglishDescription: text }] };
}

function installReply(device: EmulatedDevice, payload: PlistDict[string], detail: Record<string, string | number | boolean>, silent: boolean): PlistDict {
  if (payload === undefined || (payload instanceof Uint8Array && payload.byteLength === 0)) return { Status: 'ErrorPayloadEmpty' };
  if (!(payload instanceof Uint8Array) && !isPlistDict(payload)) return { Status: 'CommandFormatError' };
  try {
    const p = install(device, payload);
    if (silent) p.silent = true;
    detail.PayloadIdentifier = p.PayloadIdentifier;
    detail.signed = p.signed;
    detail.payloadTypes = p.payloadTypes.join(',');
    return ACK;
  } catch (err) {
    if (err instanceof ProfileRejected) {
      detail.error = err.message;
      return { Status: 'Error', ErrorChain: err.chain };
    }
    throw err;
  }
}

function install(device: EmulatedDevice, payload: Uint8Array | PlistDict): InstalledProfile {
  const { profile, signed } = checkProfile(payload);
  const entry: InstalledProfile = {
    PayloadIdentifier: profile.PayloadIdentifier as string,
    PayloadUUID: profile.PayloadUUID as string,
    PayloadVersion: profile.PayloadVersion as number,
    PayloadDisplayName: typeof profile.PayloadDisplayName === 'string' ? profile.PayloadDisplayName : undefined,
    PayloadDescription: typeof profile.PayloadDescription === 'string' ? profile.PayloadDescription : undefined,
    PayloadRemovalDisallowed: profile.PayloadRemovalDisallowed === true,
    payloadTypes: (profile.PayloadContent as PlistDict[]).map((p) => p.PayloadType as string),
    signed,
    profile,
    raw: payload instanceof Uint8Array ? Buffer.from(payload) : Buffer.alloc(0),
    installedAt: Date.now(),
  };
  const existing = device.profiles.findIndex((p) => p.PayloadIdentifier === entry.PayloadIdentifier);
  if (existing >= 0) device.profiles[existing] = entry;
  else device.profiles.push(entry);
  return entry;
}

function handle(device: EmulatedDevice, req: PlistDict, detail: Record<string, string | number | boolean>, conn: McConnection): PlistDict {
  const type = typeof req.RequestType === 'string' ? req.RequestType : '';
  switch (type) {
    case 'HelloHostIdentifier':
    case 'Flush':
      return ACK;
    case 'GetProfileList':
      return profileListReply(device);
    case 'InstallProfile':
      return installReply(device, req.Payload, detail, false);
    case 'InstallProfileSilent':
      // Emulator-chosen failure for an unescalated connection (the device's exact code is not documented).
      if (!conn.escalated) return mcError(14003, 'DMCTunnelErrorDomain', 'InstallProfileSilent needs a supervised (escalated) connection: Escalate first.');
      return installReply(device, req.Payload, detail, true);
    case 'RemoveProfile': {
      const id = removalIdentifier(req.ProfileIdentifier);
      if (id === null) return { Status: 'CommandFormatError' };
      detail.PayloadIdentifier = id;
      const i = device.profiles.findIndex((p) => p.PayloadIdentifier === id);
      detail.removed = i >= 0;
      if (i >= 0) device.profiles.splice(i, 1);
      return ACK;
    }
    case 'GetCloudConfiguration':
      return device.cloudConfiguration ? { ...ACK, CloudConfiguration: device.cloudConfiguration } : ACK;
    case 'SetCloudConfiguration': {
      const cc = req.CloudConfiguration;
      if (!isPlistDict(cc)) return { Status: 'CommandFormatError' };
      if (device.cloudConfiguration) return mcError(14002, 'DMCTunnelErrorDomain', 'The cloud configuration is already present; erase the device first.');
      const applied = cc.ConfigurationURL === undefined && cc.ConfigurationWebURL === undefined;
      device.cloudConfiguration = {
        ...cc,
        ConfigurationSource: typeof cc.ConfigurationSource === 'number' ? cc.ConfigurationSource : 2,
        IsMandatory: true,
        IsMDMUnremovable: false,
        ...(applied ? { CloudConfigurationUIComplete: true, ConfigurationWasApplied: true } : {}),
      };
      if (cc.AllowPairing === false) {
        detail.pairingsDeleted = device.pairings.size;
        device.pairings.clear();
      }
      return ACK;
    }
    case 'DownloadAndApplyCloudConfiguration': {
      if (device.cloudConfiguration) return ACK; // already configured (or MDM-enrolled): nothing to fetch
      const ade = device.knobs.adeCloudConfiguration;
      // Emulator-chosen failure for a device that Apple Business Manager does not assign.
      if (!ade) return mcError(33004, 'MCCloudConfigErrorDomain', 'The device is not assigned to an MDM server in Apple Business Manager; no cloud configuration is available.');
      device.cloudConfiguration = { ...ade, ConfigurationSource: 1 };
      return ACK;
    }
    case 'Escalate': {
      conn.escalated = false;
      conn.escalation = null;
      const cert = req.SupervisorCertificate;
      if (!isSupervisorCertificate(device, cert)) return { Status: 'CertificateRejected' };
      conn.escalation = newChallenge(cert, 8);
      return { ...ACK, Challenge: conn.escalation.challenge };
    }
    case 'EscalateResponse': {
      const why = checkChallengeResponse(device, conn.escalation, req.SignedRequest);
      conn.escalation = null;
      if (why) {
        detail.error = why;
        return { Status: 'SignedRequestRejected' };
      }
      conn.escalated = true;
      return ACK;
    }
    case 'ProceedWithKeybagMigration':
      return ACK;
    case 'EraseDevice':
      detail.PreserveDataPlan = req.PreserveDataPlan === true || req.PreserveDataPlan === 1;
      detail.DisallowProximitySetup = req.DisallowProximitySetup === true || req.DisallowProximitySetup === 1;
      conn.eraseAfterReply = true;
      return ACK;
    default:
      return { Status: 'CommandFormatError' };
  }
}

/** Returns the connection handler of one MCInstall service port opened for `pairing`. */
export function mcInstallService(device: EmulatedDevice, pairing: HostPairing): PortHandler {
  return (socket: Duplex, leftover: Buffer) => {
    socket.on('error', () => undefined);
    const where = `MCInstall[${device.udid}]`;
    const ch = new FrameChannel(socket, leftover, `MCInstall ${device.udid}`);
    const run = async (): Promise<void> => {
      const keys = await device.keyPair();
      await ch.startTls({ key: keys.privateKeyPem, cert: pairing.DeviceCertificate.toString('utf8') });
      const peer = ch.peerCertificateDer();
      if (!peer || !(peer.equals(pairing.rootDer) || peer.equals(pairing.hostDer))) {
        throw new Error('TLS client certificate does not belong to the pairing that started the service');
      }
      const conn: McConnection = { escalation: null, escalated: false, eraseAfterReply: false };
      for (;;) {
        const frame = await ch.readFrame(0);
        const req = frame.body;
        trace(where, '<-', req);
        const type = typeof req.RequestType === 'string' ? req.RequestType : '';
        const detail: Record<string, string | number | boolean> = {};
        const when = device.noteRequest(MCINSTALL_SERVICE, type, detail);
        if (when === 'before-reply') {
          device.unplug();
          return;
        }
        const reply = handle(device, req, detail, conn);
        detail.Status = String(reply.Status);
        await device.replyDelay();
        trace(where, '->', reply);
        await ch.writeFrame(reply, frame.binary);
        if (conn.eraseAfterReply) {
          // Give the reply a moment to leave the socket, then wipe and drop everything.
          setTimeout(() => device.requestErase(), 20);
          return;
        }
        if (when === 'after-reply') {
          device.unplug();
          return;
        }
      }
    };
    run().catch((err: Error) => trace(where, '--', `connection ended: ${err.message}`)).finally(() => ch.close());
  };
}
