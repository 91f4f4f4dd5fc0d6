/**
 * `com.apple.mobile.MCInstall` client (configuration profiles and cloud configuration) over a
 * lockdownd-started service connection. Requests are `{RequestType, ...}`; success is
 * `Status:"Acknowledged"`. pymobiledevice3 `services/mobile_config.py`, go-ios `ios/mcinstall`;
 * ../shared/reference/device-protocols.md §3.
 */
import type { LockdownClient, PlistService } from '../lockdown';
import { encodeBinaryPlist, isPlistDict, type PlistDict } from '../wire';
import { MCInstallError, parseErrorChain } from './errors';
import { parseProfileList, type ProfileList } from './types';

/** The lockdownd service name. */
export const MCINSTALL_SERVICE = 'com.apple.mobile.MCInstall';

/** How RemoveProfile names the profile: binary-plist data (pymobiledevice3, appium; default) or the plain string (go-ios). */
export type RemoveProfileForm = 'data' | 'string';

/**
 * An open MCInstall connection. Each method throws MCInstallError for a refused request, plus
 * ReadTimeoutError / ConnectionClosedError (device detached) from the transport. `close()` always.
 */
export class MCInstallClient {
  /** Wraps an already started service connection. */
  constructor(readonly service: PlistService) {}

  /** Starts the service through `lockdown` (which must have an active session) and connects to it. */
  static async open(lockdown: LockdownClient, opts: { timeoutMs?: number } = {}): Promise<MCInstallClient> {
    return new MCInstallClient(await lockdown.openService(MCINSTALL_SERVICE, opts));
  }

  /**
   * Generic request: sends `{RequestType, ...extra}` and returns the Acknowledged reply. Throws
   * MCInstallError when Status is "Error" or any special status. Use it for requests without a
   * helper (SetCloudConfiguration, Escalate, EscalateResponse, InstallProfileSilent, EraseDevice, ...).
   */
  async request(requestType: string, extra: PlistDict = {}, timeoutMs?: number): Promise<PlistDict> {
    const reply = await this.service.request({ RequestType: requestType, ...extra }, timeoutMs);
    const status = reply.Status;
    if (status === 'Acknowledged') return reply;
    const text = typeof status === 'string' ? status : 'no Status';
    throw new MCInstallError(requestType, text, parseErrorChain(reply.ErrorChain));
  }

  /** HelloHostIdentifier (handshake; returns the reply, which may identify the device). */
  helloHostIdentifier(): Promise<PlistDict> {
    return this.request('HelloHostIdentifier');
  }

  /** Flush (drop pending state before a sequence of requests). */
  async flush(): Promise<void> {
    await this.request('Flush');
  }

  /** GetProfileList → identifiers in device order with manifest and metadata. */
  async getProfileList(): Promise<ProfileList> {
    return parseProfileList(await this.request('GetProfileList'));
  }

  /**
   * InstallProfile with `Payload` = the profile bytes (plain or CMS-signed .mobileconfig).
   * Unsupervised devices only stage the profile; the user approves it in Settings.
   * Throws MCInstallError (ErrorPayloadEmpty for empty bytes is raised locally, before sending).
   */
  async installProfile(profile: Uint8Array): Promise<void> {
    if (profile.length === 0) throw new MCInstallError('InstallProfile', 'ErrorPayloadEmpty', [], 'the profile is empty (0 bytes); pass the .mobileconfig contents');
    await this.request('InstallProfile', { Payload: profile });
  }

  /**
   * RemoveProfile of the profile with PayloadIdentifier `identifier`. Form "data" (default) looks
   * the profile up with GetProfileList and sends binary-plist data of `{PayloadType:
   * "Configuration", PayloadIdentifier, PayloadUUID, PayloadVersion}`; form "string" sends the
   * identifier itself. Throws MCInstallError with status "ProfileNotInstalled" when it is not listed.
   */
  async removeProfile(identifier: string, form: RemoveProfileForm = 'data'): Promise<void> {
    if (form === 'string') {
      await this.request('RemoveProfile', { ProfileIdentifier: identifier });
      return;
    }
    const list = await this.getProfileList();
    const meta = list.ProfileMetadata[identifier];
    if (!list.OrderedIdentifiers.includes(identifier) || !meta) {
      const known = list.OrderedIdentifiers.length ? list.OrderedIdentifiers.join(', ') : 'none';
      throw new MCInstallError('RemoveProfile', 'ProfileNotInstalled', [], `no installed profile has PayloadIdentifier "${identifier}" (installed: ${known})`);
    }
    const ref: PlistDict = { PayloadType: 'Configuration', PayloadIdentifier: identifier };
    if (meta.PayloadUUID !== undefined) ref.PayloadUUID = meta.PayloadUUID;
    if (meta.PayloadVersion !== undefined) ref.PayloadVersion = meta.PayloadVersion;
    await this.request('RemoveProfile', { ProfileIdentifier: encodeBinaryPlist(ref) });
  }

  /** GetCloudConfiguration → the `CloudConfiguration` dictionary, or null when the device has none. */
  async getCloudConfiguration(): Promise<PlistDict | null> {
    const reply = await this.request('GetCloudConfiguration');
    return isPlistDict(reply.CloudConfiguration) ? reply.CloudConfiguration : null;
  }

  /** Closes the service connection (idempotent). */
  close(): void {
    this.service.close();
  }
}
