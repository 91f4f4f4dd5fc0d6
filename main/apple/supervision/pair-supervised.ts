/**
 * Supervised pairing (no Trust dialog): Pair with `PairingOptions.SupervisorCertificate` → the
 * device answers `MCChallengeRequired` with `ExtendedResponse.PairingChallenge` → Pair again with
 * `PairingOptions.ChallengeResponse` = CMS over the challenge signed by the supervisor key →
 * success with EscrowBag; the record is then saved through usbmuxd SavePairRecord.
 * pymobiledevice3 `pair_supervised()`, go-ios `PairSupervised()`;
 * ../shared/reference/device-protocols.md §2.5.
 */
import { LockdownError, LockdownProtocolError, newPairRecord, pairRecordToPlist, pairRequestRecord, type LockdownClient, type PairRecord } from '../lockdown';
import { isPlistDict, type PlistDict } from '../wire';
import { signChallenge, type SupervisorIdentity } from './challenge';
import { SupervisedPairingRefusedError } from './errors';

/** Options of `performSupervisedPairing()`. */
export interface SupervisedPairOptions {
  /** Save the record through usbmuxd SavePairRecord (default true). */
  save?: boolean;
  /** Deadline of each Pair reply in milliseconds (default: the connection's). */
  timeoutMs?: number;
  /**
   * When the device pairs at once without asking for a challenge (not supervised by this
   * certificate, but its Trust dialog was already answered), keep that pairing instead of
   * throwing `unknown-supervisor` (default false).
   */
  acceptUnsupervised?: boolean;
}

async function sendPair(client: LockdownClient, record: PairRecord, pairingOptions: PlistDict, timeoutMs?: number): Promise<PlistDict> {
  return client.service.request({
    Label: 'stagebench',
    Request: 'Pair',
    PairRecord: pairRequestRecord(record),
    ProtocolVersion: '2',
    PairingOptions: { ExtendedPairingErrors: true, ...pairingOptions },
  }, timeoutMs);
}

/**
 * Pairs the host with the device behind `client` (a connection without session) using the
 * organisation's supervision identity; the device shows no Trust dialog. Returns the full pair
 * record (saved in usbmuxd unless `save: false`).
 *
 * Throws SupervisedPairingRefusedError: `unknown-supervisor` when the device does not ask for a
 * challenge (the certificate is not in its SupervisorHostCertificates — it would fall back to the
 * Trust dialog, which supervised pairing never does), `protected` for MCProtected, `locked` when
 * the device accepts without EscrowBag (locked; nothing is saved). LockdownError for any other
 * lockdownd error (e.g. PasswordProtected), LockdownProtocolError for a challenge without
 * PairingChallenge data, transport errors.
 */
export async function performSupervisedPairing(client: LockdownClient, identity: SupervisorIdentity, opts: SupervisedPairOptions = {}): Promise<PairRecord> {
  const record = await newPairRecord(client);
  let reply = await sendPair(client, record, { SupervisorCertificate: identity.certificateDer }, opts.timeoutMs);
  if (reply.Error === undefined && reply.EscrowBag instanceof Uint8Array && opts.acceptUnsupervised) {
    record.EscrowBag = reply.EscrowBag;
    if (opts.save !== false) await client.usbmux.savePairRecord(client.udid, pairRecordToPlist(record), client.device.DeviceID);
    return record;
  }
  if (reply.Error !== 'MCChallengeRequired') {
    // Anything but a challenge means the device did not recognise the supervisor certificate.
    if (reply.Error === 'MCProtected') throw new SupervisedPairingRefusedError(client.udid, 'protected', 'the device forbids pairing with hosts that do not hold its supervision identity, and this organization\'s certificate is not it; choose the organization that prepared the device (--org ID)');
    if (typeof reply.Error === 'string' && reply.Error !== 'PairingDialogResponsePending') throw new LockdownError('Pair', reply.Error);
    throw new SupervisedPairingRefusedError(client.udid, 'unknown-supervisor');
  }
  const extended = isPlistDict(reply.ExtendedResponse) ? reply.ExtendedResponse : {};
  const challenge = extended.PairingChallenge;
  if (!(challenge instanceof Uint8Array)) throw new LockdownProtocolError('Pair', 'MCChallengeRequired without ExtendedResponse.PairingChallenge data');
  reply = await sendPair(client, record, { ChallengeResponse: signChallenge(challenge, identity) }, opts.timeoutMs);
  if (reply.Error === 'MCProtected') throw new SupervisedPairingRefusedError(client.udid, 'protected');
  if (typeof reply.Error === 'string') throw new LockdownError('Pair', reply.Error);
  if (!(reply.EscrowBag instanceof Uint8Array)) throw new SupervisedPairingRefusedError(client.udid, 'locked');
  record.EscrowBag = reply.EscrowBag;
  if (opts.save !== false) {
    await client.usbmux.savePairRecord(client.udid, pairRecordToPlist(record), client.device.DeviceID);
  }
  return record;
}
