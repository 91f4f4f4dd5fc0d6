/**
 * Shapes of Apple's Device Assignment web service ("DEP API", base
 * https://mdmenrollment.apple.com). Field names are Apple's, as in the AppleDocs endpoint pages
 * (fetch-devices, sync-devices, define-profile, assign-profile, clear-device-profile) and the
 * JSON Schemas of github.com/micromdm/apple-device-services `dep/schemas/`.
 * Dates are ISO-8601 strings as Apple sends them.
 */

/**
 * The OAuth 1.0a credentials inside a server token (`*_smime.p7m`), AppleDocs "Authenticating
 * for Automated Device Enrollment". Every field except `consumer_key` is a secret: sealed at rest,
 * never logged. `access_token_expiry` is RFC 3339 (e.g. "2026-01-14T21:27:41Z").
 */
export interface DepTokens {
  consumer_key: string;
  consumer_secret: string;
  access_token: string;
  access_secret: string;
  access_token_expiry: string;
}

/** One entry of AccountDetail `urls`: an endpoint the account may call, with its page limits. */
export interface AccountUrl {
  uri: string;
  http_method: string[];
  limit?: { default: number; maximum: number };
}

/** `GET /account` response (AccountDetail.json). org_* and urls need protocol version ≥ 3. */
export interface AccountDetail {
  server_name: string;
  server_uuid: string;
  /** The Apple account (Managed Apple ID) that created the server token. */
  admin_id: string;
  facilitator_id?: string;
  org_name: string;
  org_email?: string;
  org_phone?: string;
  org_address?: string;
  org_id?: string;
  org_id_hash?: string;
  org_type?: 'edu' | 'org' | 'tvprovider' | string;
  org_version?: 'v1' | 'v2' | string;
  urls?: AccountUrl[];
}

/** Apple's device `profile_status`. */
export type ProfileStatus = 'empty' | 'assigned' | 'pushed' | 'removed';

/** Sync `op_type`. */
export type OpType = 'added' | 'modified' | 'deleted';

/** A device as returned by `/server/devices`, `/devices/sync` and `/devices` (Device.json). */
export interface DepDevice {
  serial_number: string;
  model?: string;
  description?: string;
  color?: string;
  asset_tag?: string;
  /** iPad, iPhone, iPod, Mac, AppleTV, Vision. */
  device_family?: string;
  /** iOS, iPadOS, OSX, tvOS, visionOS. */
  os?: string;
  profile_status?: ProfileStatus | string;
  profile_uuid?: string;
  profile_assign_time?: string;
  profile_push_time?: string;
  device_assigned_date?: string;
  device_assigned_by?: string;
  /** Sync responses only. */
  op_type?: OpType | string;
  /** Sync responses only. */
  op_date?: string;
  mdm_migration_deadline?: string;
  /** Get Device Details only: SUCCESS, NOT_ACCESSIBLE, ... */
  response_status?: string;
}

/** `POST /server/devices` and `POST /devices/sync` response (FetchDeviceResponse.json). */
export interface FetchDeviceResponse {
  cursor: string;
  devices: DepDevice[];
  fetched_until?: string;
  more_to_follow: boolean;
}

/** Request body of `/server/devices` and `/devices/sync`. `limit` ≤ 1000 (Apple's maximum). */
export interface FetchDevicesRequest {
  cursor?: string;
  limit?: number;
}

/** Per-device result of assign / remove / define: SUCCESS, NOT_ACCESSIBLE, FAILED, THROTTLED ... */
export type DeviceAssignStatus = 'SUCCESS' | 'NOT_ACCESSIBLE' | 'FAILED' | 'THROTTLED' | string;

/**
 * ADE profile JSON ("Define a Profile", Profile.json). Validation of these fields belongs to
 * main/dep/profiles; the client sends what it is given.
 */
export interface DepProfile {
  profile_name: string;
  url: string;
  allow_pairing?: boolean;
  is_supervised?: boolean;
  is_mandatory?: boolean;
  is_mdm_removable?: boolean;
  is_multi_user?: boolean;
  await_device_configured?: boolean;
  auto_advance_setup?: boolean;
  support_phone_number?: string;
  support_email_address?: string;
  department?: string;
  org_magic?: string;
  language?: string;
  region?: string;
  anchor_certs?: string[];
  supervising_host_certs?: string[];
  skip_setup_items?: string[];
  configuration_web_url?: string;
  devices?: string[];
  do_not_use_profile_from_backup?: boolean;
  is_return_to_service?: boolean;
  [key: string]: unknown;
}

/** `POST /profile` response. */
export interface DefineProfileResponse {
  profile_uuid: string;
  devices: Record<string, DeviceAssignStatus>;
}

/** `GET /profile?profile_uuid=` response: the profile plus its uuid. */
export type GetProfileResponse = DepProfile & { profile_uuid: string };

/** `POST|PUT /profile/devices` response (assign-profile); `retry_after_seconds` needs protocol ≥ 10. */
export interface AssignProfileResponse {
  profile_uuid: string;
  devices: Record<string, DeviceAssignStatus>;
  retry_after_seconds?: number;
}

/** `DELETE /profile/devices` response (clear-device-profile). */
export interface RemoveProfileResponse {
  devices: Record<string, DeviceAssignStatus>;
}

/** `POST /devices` (Get Device Details) response: serial → device + response_status. */
export interface DeviceDetailsResponse {
  devices: Record<string, DepDevice>;
}

/**
 * Combined result of a batched assign / remove over any number of serials: the final status of
 * every serial (after THROTTLED retries), and the batches sent.
 */
export interface BatchAssignResult {
  profile_uuid?: string;
  /** serial → final status. */
  devices: Record<string, DeviceAssignStatus>;
  /** Number of HTTP calls made (batches plus THROTTLED retries). */
  requests: number;
}

/** Apple's maximum page size for device listing and its recommended assign batch size. */
export const DEP_MAX_LIMIT = 1000;
/** Default Device Assignment base URL (NanoDEP `client.DefaultBaseURL`). */
export const DEFAULT_DEP_BASE_URL = 'https://mdmenrollment.apple.com';
/** The `X-Server-Protocol-Version` StageBench sends (3: org_* fields in /account). */
export const DEP_PROTOCOL_VERSION = 3;
