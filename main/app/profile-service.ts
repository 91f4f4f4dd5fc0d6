/**
 * Profiles at the bench: build an enrollment profile from a spec (validated against Apple's
 * catalog before anything is written), sign it with a stored identity, list, export, verify and
 * import. Profile bytes are sealed in the cache (they carry the SCEP Challenge / Wi-Fi Password).
 */
import crypto from 'node:crypto';
import {
  buildEnrollmentProfile, inspectProfile, signProfile, type EnrollmentProfileSpec, type ProfileInspection, type ValidationIssue,
} from '../profiles';
import type { SecretBox } from '../secrets';
import { appendAudit, getProfileMeta, insertProfile, listProfiles, openProfileContent, type Db, type ProfileMeta } from '../store';
import type { IdentityService } from './identity-service';
import type { ProfileRow } from './types';

/** Result of a build: the issues found, the XML (also when invalid, for the preview), and the saved row when valid. */
export interface ProfileBuildResult {
  issues: ValidationIssue[];
  xml: string;
  profile: ProfileRow | null;
}

/** Profile operations. */
export interface ProfileService {
  /** Builds and validates; saves (sealed) only when there is no error-level issue. Throws ProfileSpecError for malformed input. */
  build(spec: EnrollmentProfileSpec): ProfileBuildResult;
  /** Signs stored profile `profileId` with identity `identityId`; stores and returns the signed profile. */
  sign(profileId: string, identityId: string): ProfileRow;
  /** Every stored profile, newest first. */
  list(): ProfileRow[];
  /** One profile's row and bytes (unsealed). Throws when unknown. */
  get(id: string): { row: ProfileRow; bytes: Buffer };
  /** The XML content of a profile (the signed content for signed ones). */
  xml(id: string): string;
  /** Bytes and a file name (`<name>.mobileconfig`, `.signed.mobileconfig` when signed) for export. */
  export(id: string): { bytes: Buffer; fileName: string };
  /** Verifies/inspects profile bytes (signed DER CMS or plist); `caPem` anchors the chain check. */
  verify(bytes: Uint8Array, caPem?: string): ProfileInspection;
  /** Stores an existing .mobileconfig (signed or not) after inspecting it. */
  importFile(bytes: Uint8Array, name: string): ProfileRow;
}

const toRow = (m: ProfileMeta): ProfileRow => ({
  id: m.id,
  name: m.name,
  kind: m.kind,
  payloadIdentifier: m.payloadIdentifier,
  payloadUuid: m.payloadUuid,
  target: m.target,
  signed: m.signed,
  signerSubject: m.signerSubject,
  payloadTypes: m.payloadTypes,
  createdAt: m.createdAt,
  sizeBytes: m.sizeBytes,
});

/** Builds the profile service. */
export function createProfileService(db: Db, box: SecretBox, identities: IdentityService, actor: string): ProfileService {
  const get = (id: string): { row: ProfileRow; bytes: Buffer } => {
    const meta = getProfileMeta(db, id);
    if (!meta) throw new Error(`no profile with id ${id} in the cache`);
    return { row: toRow(meta), bytes: openProfileContent(db, box, id) };
  };
  const save = (meta: Omit<ProfileMeta, 'sizeBytes'>, bytes: Buffer, action: string, detail: string): ProfileRow => {
    db.transaction(() => {
      insertProfile(db, box, meta, bytes);
      appendAudit(db, { actor, action, target: meta.payloadIdentifier, outcome: 'success', detail });
    })();
    return toRow(getProfileMeta(db, meta.id)!);
  };
  return {
    build(spec) {
      const built = buildEnrollmentProfile(spec);
      const hasErrors = built.issues.some((i) => i.severity === 'error');
      const result: ProfileBuildResult = { issues: built.issues, xml: built.xml.toString('utf8'), profile: null };
      if (hasErrors) return result;
      const payloadTypes = ((built.profile.PayloadContent ?? []) as { PayloadType?: unknown }[]).map((p) => String(p.PayloadType));
      result.profile = save(
        {
          id: crypto.randomUUID(), name: spec.name, kind: 'enrollment', payloadIdentifier: built.identifier, payloadUuid: built.uuid, target: spec.os,
          payloadTypes, signed: false, signerIdentityId: null, signerSubject: null, sourceProfileId: null, createdAt: new Date().toISOString(),
        },
        built.xml,
        'profile.build',
        `payloads: ${payloadTypes.join(', ')}`,
      );
      return result;
    },
    sign(profileId, identityId) {
      const source = get(profileId);
      if (source.row.signed) throw new Error(`profile "${source.row.name}" is already signed; sign the unsigned original instead`);
      const identity = identities.open(identityId);
      const signed = signProfile(source.bytes, identity);
      return save(
        { ...source.row, id: crypto.randomUUID(), signed: true, signerIdentityId: identityId, signerSubject: identity.subject, sourceProfileId: profileId, createdAt: new Date().toISOString(), kind: source.row.kind },
        signed,
        'profile.sign',
        `signer ${identity.subject}`,
      );
    },
    list: () => listProfiles(db).map(toRow),
    get,
    xml(id) {
      const { bytes } = get(id);
      return inspectProfile(bytes).content.toString('utf8');
    },
    export(id) {
      const { row, bytes } = get(id);
      const base = row.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'profile';
      return { bytes, fileName: `${base}${row.signed ? '.signed' : ''}.mobileconfig` };
    },
    verify(bytes, caPem) {
      return inspectProfile(bytes, caPem ? { caPem } : {});
    },
    importFile(bytes, name) {
      const report = inspectProfile(bytes);
      if (!report.identifier || !report.uuid) throw new Error('the file is not a configuration profile: it has no top-level PayloadIdentifier/PayloadUUID');
      if (report.signed && !report.valid) throw new Error(`the profile's signature does not verify (${report.problems.join('; ')}); re-export it from its source`);
      return save(
        {
          id: crypto.randomUUID(), name, kind: 'imported', payloadIdentifier: report.identifier, payloadUuid: report.uuid, target: 'ios',
          payloadTypes: report.payloads, signed: report.signed, signerIdentityId: null, signerSubject: report.signer ?? null, sourceProfileId: null,
          createdAt: new Date().toISOString(),
        },
        Buffer.from(bytes),
        'profile.import',
        report.signed ? `signed by ${report.signer}` : 'unsigned',
      );
    },
  };
}
