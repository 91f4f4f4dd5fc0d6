/**
 * Supervision failures: supervised pairing refused (the device does not know the organisation's
 * certificate, forbids pairing, or is locked) and MCInstall escalation refused. Each message
 * says what to do. ../shared/reference/device-protocols.md §2.5, §3.4.
 */

/** Why supervised pairing did not produce a pair record. */
export type SupervisedPairingRefusal =
  /** The device did not ask for a challenge: the certificate is not in its SupervisorHostCertificates (or it is not supervised). */
  | 'unknown-supervisor'
  /** lockdownd answered MCProtected: the challenge response was rejected, or pairing is forbidden to this host. */
  | 'protected'
  /** Success without EscrowBag: the device is locked, pairing deferred (go-ios ErrDeviceLockedPairingDeferred). */
  | 'locked';

/** Supervised pairing with an organisation identity failed. `reason` tells which case. */
export class SupervisedPairingRefusedError extends Error {
  constructor(readonly udid: string, readonly reason: SupervisedPairingRefusal, detail?: string) {
    super(`supervised pairing with ${udid} refused: ${detail ?? REFUSAL_TEXT[reason]}`);
    this.name = 'SupervisedPairingRefusedError';
  }
}

const REFUSAL_TEXT: Readonly<Record<SupervisedPairingRefusal, string>> = {
  'unknown-supervisor': 'the device is not supervised by this organization (its certificate is not in the device\'s SupervisorHostCertificates); choose the organization that prepared the device, or erase and prepare it again',
  protected: 'the device refused the organization\'s challenge response or forbids pairing (MCProtected); use the organization that prepared the device (--org ID)',
  locked: 'the device is locked with a passcode, so pairing was deferred; unlock it and try again',
};

/**
 * MCInstall Escalate / EscalateResponse failed: `status` is the device's Status
 * (CertificateRejected = not this device's supervisor; SignedRequestRejected = bad signature).
 */
export class EscalationRefusedError extends Error {
  constructor(readonly udid: string, readonly status: string) {
    super(`supervised operation on ${udid} refused (${status}): ${status === 'CertificateRejected'
      ? 'the device is not supervised by this organization; choose the organization that prepared it (--org ID), or prepare the device with --supervised first'
      : 'the device did not accept the signed challenge; check that the organization identity (certificate and key) is intact'}`);
    this.name = 'EscalationRefusedError';
  }
}
