/**
 * Device-side supervision checks shared by lockdownd supervised pairing and MCInstall escalation
 * (../shared/reference/device-protocols.md §2.5, §3.4): is a DER certificate one of the cloud
 * configuration's `SupervisorHostCertificates` of a supervised device, and does a CMS SignedData
 * answer a challenge — content attached and byte-equal to the challenge, signature valid, signer
 * certificate byte-equal to the supervisor certificate that asked for the challenge.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatedDevice } from './emulated-device';
import { CmsVerifyError, verifySignedData } from './cms-verify';

/** The DER supervisor certificates of a supervised device (`IsSupervised` true), else an empty list. */
export function supervisorCertificates(device: EmulatedDevice): Buffer[] {
  const cc = device.cloudConfiguration;
  if (!cc || cc.IsSupervised !== true || !Array.isArray(cc.SupervisorHostCertificates)) return [];
  return cc.SupervisorHostCertificates.filter((c): c is Uint8Array => c instanceof Uint8Array).map((c) => Buffer.from(c));
}

/** True when `der` is byte-equal to one of the device's supervisor certificates. */
export function isSupervisorCertificate(device: EmulatedDevice, der: unknown): der is Uint8Array {
  if (!(der instanceof Uint8Array) || der.byteLength === 0) return false;
  const b = Buffer.from(der);
  return supervisorCertificates(device).some((c) => c.equals(b));
}

/** A challenge the device handed out: random bytes and the supervisor certificate that asked. */
export interface PendingChallenge {
  challenge: Buffer;
  certificate: Buffer;
}

/** A new challenge of `bytes` random bytes for `certificate` (lockdownd uses 32, MCInstall Escalate 8). */
export function newChallenge(certificate: Uint8Array, bytes: number): PendingChallenge {
  return { challenge: randomBytes(bytes), certificate: Buffer.from(certificate) };
}

/**
 * Checks `signed` (DER CMS SignedData) against `pending`. Returns null when it is a valid
 * signature over exactly the challenge by the pending certificate (still a supervisor
 * certificate of `device`); otherwise the reason it is refused.
 */
export function checkChallengeResponse(device: EmulatedDevice, pending: PendingChallenge | null, signed: unknown): string | null {
  if (!pending) return 'no challenge was issued on this connection';
  if (!(signed instanceof Uint8Array) || signed.byteLength === 0) return 'the response is not CMS data';
  let verified;
  try {
    verified = verifySignedData(Buffer.from(signed));
  } catch (err) {
    if (err instanceof CmsVerifyError) return `CMS does not verify: ${err.message}`;
    throw err;
  }
  if (!verified.content.equals(pending.challenge)) return 'the signed content is not the challenge';
  if (!verified.signers.some((s) => Buffer.from(s.raw).equals(pending.certificate))) return 'the signer is not the supervisor certificate that asked for the challenge';
  if (!isSupervisorCertificate(device, pending.certificate)) return 'the certificate is no longer a supervisor certificate of this device';
  return null;
}
