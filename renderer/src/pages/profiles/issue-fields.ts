/**
 * Maps the builder's validation issues (payload + key, e.g. `com.apple.mdm` / `ServerURL`) onto
 * the form's fields, so errors show inline. Issues that name no form field are returned apart and
 * shown as a list above the form.
 */
import type { ValidationIssue } from '../../../../main/ipc/contract';

/** Form field ids (dotted paths of the ProfileSpec). */
export type FieldId =
  | 'name'
  | 'identifier'
  | 'organization'
  | 'target'
  | 'expiry'
  | 'mdm.serverUrl'
  | 'mdm.checkInUrl'
  | 'mdm.topic'
  | 'scep.url'
  | 'scep.challenge'
  | 'scep.subject'
  | 'scep.keySize'
  | 'anchors'
  | 'wifi.ssid'
  | 'wifi.password'
  | 'wifi.encryption';

const FIELD_IDS: readonly FieldId[] = [
  'name', 'identifier', 'organization', 'target', 'expiry', 'mdm.serverUrl', 'mdm.checkInUrl', 'mdm.topic',
  'scep.url', 'scep.challenge', 'scep.subject', 'scep.keySize', 'anchors', 'wifi.ssid', 'wifi.password', 'wifi.encryption',
];

type Section = 'top' | 'mdm' | 'scep' | 'anchor' | 'wifi';

/** Payload keys (Apple names) per section → field. */
const KEYS: Record<Section, Record<string, FieldId>> = {
  top: {
    PayloadDisplayName: 'name',
    PayloadIdentifier: 'identifier',
    PayloadOrganization: 'organization',
    RemovalDate: 'expiry',
    PayloadExpirationDate: 'expiry',
    DurationUntilRemoval: 'expiry',
    TargetDeviceType: 'target',
  },
  mdm: { ServerURL: 'mdm.serverUrl', CheckInURL: 'mdm.checkInUrl', Topic: 'mdm.topic' },
  scep: { URL: 'scep.url', Challenge: 'scep.challenge', Subject: 'scep.subject', Keysize: 'scep.keySize', KeySize: 'scep.keySize' },
  anchor: { PayloadContent: 'anchors', PayloadCertificateFileName: 'anchors' },
  wifi: { SSID_STR: 'wifi.ssid', Password: 'wifi.password', EncryptionType: 'wifi.encryption' },
};

function sectionOf(payload: string): Section | null {
  const p = payload.toLowerCase();
  if (p === 'configuration' || p === 'toplevel' || p === 'profile') return 'top';
  if (p === 'com.apple.mdm' || p === 'mdm') return 'mdm';
  if (p.includes('scep')) return 'scep';
  if (p.includes('wifi')) return 'wifi';
  if (/security\.(root|pkcs1|pem)|anchor|certificate/.test(p)) return 'anchor';
  return null;
}

/**
 * The form field an issue concerns, or null when it names none. The key may be a path inside the
 * payload (`PayloadContent.Keysize` for SCEP); its last segment is what is looked up.
 */
export function fieldForIssue(issue: Pick<ValidationIssue, 'payloadType' | 'key'>): FieldId | null {
  const rawKey = issue.key ?? '';
  if ((FIELD_IDS as readonly string[]).includes(rawKey)) return rawKey as FieldId;
  const key = rawKey.replace(/^PayloadContent\./, '').split('.')[0].replace(/\[\d+\]$/, '');
  if (!key) return issue.payloadType.toLowerCase().includes('security.root') ? 'anchors' : null;
  const section = sectionOf(issue.payloadType);
  if (section) return KEYS[section][key] ?? null;
  for (const s of Object.keys(KEYS) as Section[]) {
    const field = KEYS[s][key];
    if (field) return field;
  }
  return null;
}

/** The text shown under one field and whether any of its issues is an error. */
export interface FieldMessage {
  text: string;
  error: boolean;
}

/** Issues split into per-field messages (joined) and the rest. */
export interface SplitIssues {
  byField: Partial<Record<FieldId, FieldMessage>>;
  general: ValidationIssue[];
}

/** Splits issues by field (errors first, warnings after, joined with ` · `). */
export function splitIssues(issues: readonly ValidationIssue[]): SplitIssues {
  const byField: Partial<Record<FieldId, FieldMessage>> = {};
  const general: ValidationIssue[] = [];
  const ordered = [...issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  for (const issue of ordered) {
    const field = fieldForIssue(issue);
    if (!field) {
      general.push(issue);
      continue;
    }
    const prev = byField[field];
    const isError = issue.severity === 'error';
    byField[field] = prev ? { text: `${prev.text} · ${issue.message}`, error: prev.error || isError } : { text: issue.message, error: isError };
  }
  return { byField, general };
}
