/**
 * Profiles built, signed or imported at this bench: metadata in clear, bytes sealed (an
 * enrollment profile carries the SCEP Challenge, a Wi-Fi profile its Password).
 */
import type { SecretBox } from '../secrets';
import type { Db } from './db';

/** Where a profile came from. */
export type ProfileKind = 'enrollment' | 'wifi' | 'imported';
/** Target OS. */
export type ProfileTarget = 'ios' | 'macos' | 'tvos';

/** Metadata of a stored profile. */
export interface ProfileMeta {
  id: string;
  name: string;
  kind: ProfileKind;
  payloadIdentifier: string;
  payloadUuid: string;
  target: ProfileTarget;
  payloadTypes: string[];
  signed: boolean;
  signerIdentityId: string | null;
  signerSubject: string | null;
  sourceProfileId: string | null;
  sizeBytes: number;
  createdAt: string;
}

const META = `id, name, kind, payload_identifier AS payloadIdentifier, payload_uuid AS payloadUuid, target,
  payload_types_json AS payloadTypesJson, signed, signer_identity_id AS signerIdentityId, signer_subject AS signerSubject,
  source_profile_id AS sourceProfileId, size_bytes AS sizeBytes, created_at AS createdAt`;

type Row = Omit<ProfileMeta, 'payloadTypes' | 'signed'> & { payloadTypesJson: string; signed: number };
const toMeta = ({ payloadTypesJson, signed, ...r }: Row): ProfileMeta => ({ ...r, signed: signed === 1, payloadTypes: JSON.parse(payloadTypesJson) as string[] });

/** Stores a profile (bytes sealed) in one statement. */
export function insertProfile(db: Db, box: SecretBox, meta: Omit<ProfileMeta, 'sizeBytes'>, content: Buffer): void {
  db.prepare(
    `INSERT INTO profiles (id, name, kind, payload_identifier, payload_uuid, target, payload_types_json, signed, signer_identity_id,
       signer_subject, source_profile_id, content_sealed, size_bytes, created_at)
     VALUES (@id, @name, @kind, @payloadIdentifier, @payloadUuid, @target, @payloadTypesJson, @signed, @signerIdentityId,
       @signerSubject, @sourceProfileId, @sealed, @sizeBytes, @createdAt)`,
  ).run({
    ...meta,
    payloadTypesJson: JSON.stringify(meta.payloadTypes),
    signed: meta.signed ? 1 : 0,
    sealed: box.seal(content),
    sizeBytes: content.length,
  });
}

/** All profiles' metadata, newest first. */
export function listProfiles(db: Db): ProfileMeta[] {
  return (db.prepare(`SELECT ${META} FROM profiles ORDER BY created_at DESC, rowid DESC`).all() as Row[]).map(toMeta);
}

/** One profile's metadata, or null. */
export function getProfileMeta(db: Db, id: string): ProfileMeta | null {
  const row = db.prepare(`SELECT ${META} FROM profiles WHERE id = ?`).get(id) as Row | undefined;
  return row ? toMeta(row) : null;
}

/** A profile's bytes, opened; throws when the id is unknown. */
export function openProfileContent(db: Db, box: SecretBox, id: string): Buffer {
  const row = db.prepare('SELECT content_sealed FROM profiles WHERE id = ?').get(id) as { content_sealed: Buffer } | undefined;
  if (!row) throw new Error(`no profile with id ${id} in the cache`);
  return box.open(row.content_sealed);
}
