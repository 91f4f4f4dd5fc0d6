/**
 * The application-service surface shared by the Electron IPC layer, the renderer test bridge and
 * the CLI. Implemented in main/app/services.ts (createAppServices). Every value crossing IPC is
 * JSON-safe: bytes travel as base64 strings, dates as ISO-8601 strings.
 */

/** A device attached through usbmuxd, merged with what the cache knows about it. */
export interface DeviceRow {
  udid: string;
  /** usbmuxd DeviceID while attached. */
  deviceId: number | null;
  attached: boolean;
  /** A pair record exists for this device in usbmuxd. */
  paired: boolean;
  productType: string | null;
  productVersion: string | null;
  deviceClass: string | null;
  deviceName: string | null;
  serialNumber: string | null;
  /** ISO-8601. */
  firstSeen: string | null;
  lastSeen: string | null;
}

/** Staging steps, in order, for one device. */
export type StageStepName = 'pair' | 'info' | 'wifi-profile' | 'enrollment-profile' | 'verify';
/** State of one step. */
export type StageStepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** Live progress of one device in a staging run. `progress` is 0..1. */
export interface DeviceStageProgress {
  runId: string;
  udid: string;
  step: StageStepName;
  state: StageStepState;
  progress: number;
  message: string;
  steps: Record<StageStepName, StageStepState>;
}

/** Result of a staging run. */
export interface StageSummary {
  runId: string;
  startedAt: string;
  finishedAt: string;
  devices: { udid: string; ok: boolean; error?: string; steps: Record<StageStepName, StageStepState> }[];
  succeeded: number;
  failed: number;
}

/** A signing identity imported from PKCS#12 (the private key is stored sealed, never returned). */
export interface IdentityRow {
  id: string;
  label: string;
  subject: string;
  issuer: string;
  keyType: 'rsa' | 'ec';
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
  importedAt: string;
}

/** A profile built (and maybe signed) and kept in the cache. */
export interface ProfileRow {
  id: string;
  name: string;
  /** How it was made: built enrollment profile, Wi-Fi profile, or imported file. */
  kind: 'enrollment' | 'wifi' | 'imported';
  payloadIdentifier: string;
  payloadUuid: string;
  target: 'ios' | 'macos' | 'tvos';
  signed: boolean;
  signerSubject: string | null;
  payloadTypes: string[];
  createdAt: string;
  sizeBytes: number;
}
