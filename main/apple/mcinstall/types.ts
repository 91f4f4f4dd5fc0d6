/**
 * Typed GetProfileList reply (pymobiledevice3 `mobile_config.py`, go-ios `ios/mcinstall`,
 * appium-ios-device `lib/mcinstall`; ../shared/reference/device-protocols.md §3.3).
 */
import { isPlistDict, MalformedMessageError, type PlistDict, type PlistValue } from '../wire';

/** `ProfileManifest` entry for one profile. */
export interface ProfileManifestEntry {
  Description?: string;
  IsActive?: boolean;
}

/** `ProfileMetadata` entry for one profile (the profile's top-level payload keys). */
export interface ProfileMetadataEntry {
  PayloadDisplayName?: string;
  PayloadDescription?: string;
  PayloadOrganization?: string;
  PayloadRemovalDisallowed?: boolean;
  PayloadUUID?: string;
  PayloadVersion?: number;
}

/** GetProfileList: identifiers in device order plus manifest and metadata keyed by PayloadIdentifier. */
export interface ProfileList {
  OrderedIdentifiers: string[];
  ProfileManifest: Record<string, ProfileManifestEntry>;
  ProfileMetadata: Record<string, ProfileMetadataEntry>;
}

const str = (v: PlistValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: PlistValue | undefined): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const num = (v: PlistValue | undefined): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);

/** Parses a GetProfileList reply. Throws MalformedMessageError when OrderedIdentifiers is not a string array. */
export function parseProfileList(reply: PlistDict): ProfileList {
  const ids = reply.OrderedIdentifiers ?? [];
  if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) {
    throw new MalformedMessageError('MCInstall GetProfileList', 'OrderedIdentifiers is not a list of strings');
  }
  const manifest: Record<string, ProfileManifestEntry> = {};
  const metadata: Record<string, ProfileMetadataEntry> = {};
  const rawManifest = isPlistDict(reply.ProfileManifest) ? reply.ProfileManifest : {};
  const rawMetadata = isPlistDict(reply.ProfileMetadata) ? reply.ProfileMetadata : {};
  for (const [id, v] of Object.entries(rawManifest)) {
    if (isPlistDict(v)) manifest[id] = { Description: str(v.Description), IsActive: bool(v.IsActive) };
  }
  for (const [id, v] of Object.entries(rawMetadata)) {
    if (!isPlistDict(v)) continue;
    metadata[id] = {
      PayloadDisplayName: str(v.PayloadDisplayName),
      PayloadDescription: str(v.PayloadDescription),
      PayloadOrganization: str(v.PayloadOrganization),
      PayloadRemovalDisallowed: bool(v.PayloadRemovalDisallowed),
      PayloadUUID: str(v.PayloadUUID),
      PayloadVersion: num(v.PayloadVersion),
    };
  }
  return { OrderedIdentifiers: ids as string[], ProfileManifest: manifest, ProfileMetadata: metadata };
}
