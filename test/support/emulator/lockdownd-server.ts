/**
 * Device-side lockdownd (TCP port 62078 on the device, reached through usbmuxd Connect):
 * QueryType, GetValue, SetValue, RemoveValue, Pair, ValidatePair, Unpair, StartSession (then TLS
 * server on the same socket), StopSession (back to plaintext), StartService, Goodbye. Requests and
 * replies are 4-byte big-endian plist frames, XML or binary, answered in the form received.
 * Errors are lockdownd `Error` strings (libimobiledevice `lockdownd_error_str_map`).
 * Reference: ../shared/reference/device-protocols.md §2.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { isPlistDict, type PlistDict } from '../../../main/apple/wire';
import type { EmulatedDevice, PortHandler } from './emulated-device';
import { FrameChannel } from './frame-channel';
import { lookupValue } from './lockdown-values';
import { PairRecordRejected, verifyPairRecord, type HostPairing } from './pair-record-check';
import { checkChallengeResponse, isSupervisorCertificate, newChallenge, type PendingChallenge } from './supervision-check';
import { trace } from './trace';

/** Creates the connection handler of a lockdownd service for a host that holds `pairing`. */
export type ServiceFactory = (device: EmulatedDevice, pairing: HostPairing) => PortHandler;

/** `Type` answered to QueryType by a normally booted device. */
export const LOCKDOWN_QUERY_TYPE = 'com.apple.mobile.lockdown';

/** Default-domain keys SetValue refuses (ImmutableValue). */
const IMMUTABLE_KEYS = new Set(['UniqueDeviceID', 'UniqueChipID', 'SerialNumber', 'ProductType', 'ProductVersion', 'BuildVersion', 'DeviceClass', 'HardwareModel', 'DevicePublicKey', 'WiFiAddress', 'BluetoothAddress', 'ChipID', 'ActivationState']);

interface Session {
  id: string;
  pairing: HostPairing;
}

interface Outcome {
  reply: PlistDict;
  after?: 'startTls' | 'stopTls' | 'close';
}

/** Per-connection lockdownd state. */
class LockdownConnection {
  private session: Session | null = null;
  /** Supervised pairing: the PairingChallenge handed out on this connection (§2.5). */
  private pairingChallenge: (PendingChallenge & { hostId: string }) | null = null;
  private readonly where: string;

  constructor(private readonly device: EmulatedDevice, private readonly ch: FrameChannel, private readonly services: ReadonlyMap<string, ServiceFactory>) {
    this.where = `lockdownd[${device.udid}]`;
  }

  async run(): Promise<void> {
    for (;;) {
      let frame;
      try {
        frame = await this.ch.readFrame(0);
      } catch (err) {
        trace(this.where, '--', `connection ended: ${(err as Error).message}`);
        break;
      }
      const req = frame.body;
      trace(this.where, '<-', req);
      const name = typeof req.Request === 'string' ? req.Request : '';
      const detail: Record<string, string> = {};
      for (const k of ['Key', 'Domain', 'Service']) if (typeof req[k] === 'string') detail[k] = req[k] as string;
      const detach = this.device.noteRequest('lockdownd', name, detail);
      if (detach === 'before-reply') {
        this.device.unplug();
        break;
      }
      let outcome: Outcome;
      try {
        outcome = await this.handle(name, req);
      } catch (err) {
        trace(this.where, '--', `handler failed: ${(err as Error).message}`);
        outcome = { reply: { Request: name, Error: 'InvalidResponse' } };
      }
      if (typeof outcome.reply.Error === 'string') this.device.requestLog[this.device.requestLog.length - 1].detail.Error = outcome.reply.Error;
      await this.device.replyDelay();
      trace(this.where, '->', outcome.reply);
      try {
        if (outcome.after === 'stopTls') await this.ch.writeFrameAndStopTls(outcome.reply, frame.binary);
        else await this.ch.writeFrame(outcome.reply, frame.binary);
        if (outcome.after === 'startTls') await this.beginTls();
      } catch (err) {
        trace(this.where, '--', `write/TLS failed: ${(err as Error).message}`);
        this.ch.close();
        break;
      }
      if (detach === 'after-reply') {
        this.device.unplug();
        break;
      }
      if (outcome.after === 'close') {
        this.ch.close();
        break;
      }
    }
  }

  private async beginTls(): Promise<void> {
    const s = this.session;
    if (!s) return;
    const keys = await this.device.keyPair();
    await this.ch.startTls({ key: keys.privateKeyPem, cert: s.pairing.DeviceCertificate.toString('utf8') });
    const peer = this.ch.peerCertificateDer();
    if (!peer || !(peer.equals(s.pairing.rootDer) || peer.equals(s.pairing.hostDer))) {
      throw new Error('TLS client certificate is neither the RootCertificate nor the HostCertificate of the pairing');
    }
    trace(this.where, '--', `TLS session up (${this.ch.tlsSocket?.getProtocol()})`);
  }

  private async handle(name: string, req: PlistDict): Promise<Outcome> {
    const d = this.device;
    const base: PlistDict = { Request: name };
    const fail = (Error: string): Outcome => ({ reply: { ...base, Error } });
    switch (name) {
      case 'QueryType':
        return { reply: { ...base, Type: LOCKDOWN_QUERY_TYPE } };
      case 'GetValue': {
        const domain = typeof req.Domain === 'string' ? req.Domain : '';
        const key = typeof req.Key === 'string' ? req.Key : '';
        if (domain) base.Domain = domain;
        if (key) base.Key = key;
        const r = await lookupValue(d, domain, key, this.session !== null && this.ch.secure);
        return 'value' in r ? { reply: { ...base, Value: r.value } } : fail(r.error);
      }
      case 'SetValue':
      case 'RemoveValue': {
        const domain = typeof req.Domain === 'string' ? req.Domain : '';
        const key = typeof req.Key === 'string' ? req.Key : '';
        if (domain) base.Domain = domain;
        if (key) base.Key = key;
        if (!this.session) return fail('SessionInactive');
        if (!key) return fail('MissingKey');
        if (!domain && IMMUTABLE_KEYS.has(key)) return fail(name === 'SetValue' ? 'ImmutableValue' : 'RemoveProhibited');
        if (name === 'SetValue') {
          if (req.Value === undefined) return fail('MissingValue');
          d.setValue(domain, key, req.Value);
        } else if (domain) {
          delete d.domains.get(domain)?.[key];
        } else {
          delete d.defaultOverrides[key];
        }
        return { reply: base };
      }
      case 'Pair':
        return this.pair(base, req);
      case 'ValidatePair': {
        const rec = isPlistDict(req.PairRecord) ? req.PairRecord : null;
        if (!rec) return fail('MissingPairRecord');
        const hostId = typeof rec.HostID === 'string' ? rec.HostID : '';
        if (!hostId) return fail('MissingHostID');
        return d.pairings.has(hostId) ? { reply: base } : fail('InvalidHostID');
      }
      case 'Unpair': {
        const rec = isPlistDict(req.PairRecord) ? req.PairRecord : null;
        const hostId = rec && typeof rec.HostID === 'string' ? rec.HostID : '';
        if (!hostId) return fail('MissingHostID');
        if (!d.pairings.delete(hostId)) return fail('InvalidHostID');
        return { reply: base };
      }
      case 'StartSession': {
        const hostId = typeof req.HostID === 'string' ? req.HostID : '';
        if (!hostId) return fail('MissingHostID');
        if (this.session) return fail('SessionActive');
        const pairing = d.pairings.get(hostId);
        if (!pairing) return fail('InvalidHostID');
        this.session = { id: randomUUID().toUpperCase(), pairing };
        return { reply: { ...base, SessionID: this.session.id, EnableSessionSSL: true }, after: 'startTls' };
      }
      case 'StopSession': {
        const sid = typeof req.SessionID === 'string' ? req.SessionID : '';
        if (!sid) return fail('MissingSessionID');
        if (!this.session) return fail('SessionInactive');
        if (sid !== this.session.id) return fail('InvalidSessionID');
        this.session = null;
        return { reply: base, after: 'stopTls' };
      }
      case 'StartService': {
        const service = typeof req.Service === 'string' ? req.Service : '';
        if (!service) return fail('MissingService');
        base.Service = service;
        if (!this.session) return fail('SessionInactive');
        const factory = this.services.get(service);
        if (!factory) return fail('InvalidService');
        const port = d.openServicePort(factory(d, this.session.pairing));
        return { reply: { ...base, Port: port, EnableServiceSSL: true } };
      }
      case 'Goodbye':
        return { reply: { ...base, Result: 'Success' }, after: 'close' };
      case 'EnterRecovery':
        return this.session ? { reply: base } : fail('SessionInactive');
      default:
        return fail('InvalidRequest');
    }
  }

  private async pair(base: PlistDict, req: PlistDict): Promise<Outcome> {
    const d = this.device;
    const fail = (Error: string): Outcome => ({ reply: { ...base, Error } });
    const rec = isPlistDict(req.PairRecord) ? req.PairRecord : null;
    if (!rec) return fail('MissingPairRecord');
    let pairing: HostPairing;
    try {
      pairing = verifyPairRecord(rec, (await d.keyPair()).publicKeyPkcs1Der);
    } catch (err) {
      if (err instanceof PairRecordRejected) {
        trace(this.where, '--', `Pair rejected: ${err.message}`);
        return fail(err.lockdownError);
      }
      throw err;
    }
    if (d.knobs.passcodeLocked) return fail('PasswordProtected');
    // Supervised pairing (pymobiledevice3 pair_supervised, go-ios PairSupervised): a supervisor
    // certificate of the cloud configuration gets a challenge; a CMS over it signed by that
    // certificate pairs without the Trust dialog.
    const options = isPlistDict(req.PairingOptions) ? req.PairingOptions : {};
    if (options.ChallengeResponse !== undefined) {
      const pending = this.pairingChallenge;
      this.pairingChallenge = null;
      const why = pending && pending.hostId !== pairing.HostID ? 'the PairRecord HostID differs from the one that asked for the challenge' : checkChallengeResponse(d, pending, options.ChallengeResponse);
      if (why) {
        trace(this.where, '--', `ChallengeResponse refused: ${why}`);
        return fail('MCProtected');
      }
      d.pairings.set(pairing.HostID, pairing);
      return { reply: { ...base, EscrowBag: randomBytes(64) } };
    }
    if (isSupervisorCertificate(d, options.SupervisorCertificate)) {
      const pending = newChallenge(options.SupervisorCertificate, 32);
      this.pairingChallenge = { ...pending, hostId: pairing.HostID };
      return { reply: { ...base, Error: 'MCChallengeRequired', ExtendedResponse: { PairingChallenge: pending.challenge } } };
    }
    // AllowPairing false: only hosts holding the supervision identity may pair.
    if (d.cloudConfiguration?.AllowPairing === false) return fail('MCProtected');
    d.pairAttempts++;
    const trust = d.knobs.trust ?? 'accept';
    if (trust === 'deny') return fail('UserDeniedPairing');
    if (typeof trust === 'object' && d.pairAttempts <= trust.pendingAttempts) return fail('PairingDialogResponsePending');
    d.pairings.set(pairing.HostID, pairing);
    return { reply: { ...base, EscrowBag: randomBytes(64) } };
  }
}

/** Returns the port-62078 handler of `device`, serving lockdownd with the given services. */
export function lockdownHandler(device: EmulatedDevice, services: ReadonlyMap<string, ServiceFactory>): PortHandler {
  return (socket: Duplex, leftover: Buffer) => {
    const ch = new FrameChannel(socket, leftover, `lockdownd ${device.udid}`);
    socket.on('error', () => undefined);
    void new LockdownConnection(device, ch, services).run().finally(() => socket.destroy());
  };
}
