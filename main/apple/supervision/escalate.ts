/**
 * MCInstall escalation for supervised operations: `Escalate {SupervisorCertificate}` →
 * `{Challenge}`; `EscalateResponse {SignedRequest: CMS over the challenge}`;
 * `ProceedWithKeybagMigration`. After that the connection accepts supervised requests such as
 * `InstallProfileSilent {Payload}` (installed without the user approving it in Settings).
 * pymobiledevice3 `mobile_config.py` `escalate()`, go-ios `ios/mcinstall`;
 * ../shared/reference/device-protocols.md §3.4.
 */
import { MCInstallError, type MCInstallClient } from '../mcinstall';
import { signChallenge, type SupervisorIdentity } from './challenge';
import { EscalationRefusedError } from './errors';

/**
 * Escalates `mc` with `identity`. Throws EscalationRefusedError for CertificateRejected (the
 * device is not supervised by this organisation) or SignedRequestRejected; MCInstallError for
 * other refusals (e.g. a reply without Challenge is reported as status "NoChallenge").
 */
export async function escalate(mc: MCInstallClient, identity: SupervisorIdentity, udid: string): Promise<void> {
  let reply;
  try {
    reply = await mc.request('Escalate', { SupervisorCertificate: identity.certificateDer });
  } catch (err) {
    if (err instanceof MCInstallError && err.status === 'CertificateRejected') throw new EscalationRefusedError(udid, err.status);
    throw err;
  }
  const challenge = reply.Challenge;
  if (!(challenge instanceof Uint8Array)) throw new MCInstallError('Escalate', 'NoChallenge', [], 'the device acknowledged Escalate without a Challenge');
  try {
    await mc.request('EscalateResponse', { SignedRequest: signChallenge(challenge, identity) });
  } catch (err) {
    if (err instanceof MCInstallError && err.status === 'SignedRequestRejected') throw new EscalationRefusedError(udid, err.status);
    throw err;
  }
  await mc.request('ProceedWithKeybagMigration');
}

/**
 * InstallProfileSilent with `Payload` = the profile bytes, on a connection escalated with
 * `escalate()`. Throws MCInstallError (ErrorPayloadEmpty locally for empty bytes; the device's
 * ErrorChain otherwise).
 */
export async function installProfileSilent(mc: MCInstallClient, profile: Uint8Array): Promise<void> {
  if (profile.byteLength === 0) throw new MCInstallError('InstallProfileSilent', 'ErrorPayloadEmpty', [], 'the profile is empty (0 bytes); pass the .mobileconfig contents');
  await mc.request('InstallProfileSilent', { Payload: profile });
}
