/** Form state of the enrollment-profile builder and its conversion to the contract's ProfileSpec. */
import type { ProfileSpec } from '../../../../main/ipc/contract';

type WifiInput = NonNullable<ProfileSpec['wifi']>;

/** Flat, string-valued form state (what the inputs edit). */
export interface ProfileFormState {
  name: string;
  identifier: string;
  organization: string;
  os: ProfileSpec['os'];
  /** `YYYY-MM-DD` or empty for no expiry. */
  expiry: string;
  serverUrl: string;
  checkInUrl: string;
  topic: string;
  scepUrl: string;
  challenge: string;
  subject: string;
  keysize: ProfileSpec['scep']['keysize'];
  anchors: { filename: string; base64: string }[];
  wifiEnabled: boolean;
  ssid: string;
  wifiPassword: string;
  encryption: NonNullable<WifiInput['encryption']>;
}

/** Empty form with sensible defaults (iOS, 2048-bit SCEP key, WPA2). */
export const EMPTY_PROFILE_FORM: ProfileFormState = {
  name: '',
  identifier: '',
  organization: '',
  os: 'ios',
  expiry: '',
  serverUrl: '',
  checkInUrl: '',
  topic: '',
  scepUrl: '',
  challenge: '',
  subject: '',
  keysize: 2048,
  anchors: [],
  wifiEnabled: false,
  ssid: '',
  wifiPassword: '',
  encryption: 'WPA2',
};

/** Non-empty trimmed text, or undefined (optional keys are then left out of the profile). */
function opt(value: string): string | undefined {
  const t = value.trim();
  return t ? t : undefined;
}

/** The ProfileSpec sent to `profiles:build` (strings trimmed, empty optionals dropped). */
export function toProfileSpec(f: ProfileFormState): ProfileSpec {
  return {
    name: f.name.trim(),
    identifier: f.identifier.trim(),
    organization: opt(f.organization),
    os: f.os,
    removalDate: opt(f.expiry),
    serverUrl: f.serverUrl.trim(),
    checkInUrl: opt(f.checkInUrl),
    topic: f.topic.trim(),
    scep: { url: f.scepUrl.trim(), challenge: f.challenge || undefined, subject: opt(f.subject), keysize: f.keysize },
    anchors: f.anchors,
    wifi: f.wifiEnabled ? { ssid: f.ssid.trim(), password: f.wifiPassword || undefined, encryption: f.encryption } : undefined,
  };
}
