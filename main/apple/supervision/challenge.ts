/**
 * The supervisor's answer to a device challenge (lockdownd `PairingChallenge`, MCInstall Escalate
 * `Challenge`): a DER CMS SignedData with the challenge attached as id-data content, SHA-256,
 * signed by the organisation's supervision identity — the same CMS form as a signed profile, so
 * main/profiles `signProfile` produces it (pymobiledevice3 `PKCS7SignatureBuilder().set_data()`,
 * go-ios `crypto_utils.go`). ../shared/reference/device-protocols.md §2.5, §3.4.
 */
import { signProfile, type SigningIdentity } from '../../profiles';

/** A supervision identity: the organisation certificate (DER, in the device's SupervisorHostCertificates) and its private key. */
export type SupervisorIdentity = SigningIdentity;

/**
 * Signs `challenge` (the raw bytes the device sent) with `identity`; returns the DER CMS.
 * Throws TypeError when the challenge is empty (a device never sends one).
 */
export function signChallenge(challenge: Uint8Array, identity: SupervisorIdentity): Buffer {
  if (challenge.byteLength === 0) throw new TypeError('the device sent an empty challenge; retry the operation');
  return signProfile(challenge, identity);
}
