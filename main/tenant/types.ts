/**
 * Shapes of the Ivanti Neurons for MDM Customer Integration API v1 (MobileIron Cloud) records the
 * bench uses. Responses are wrapped as `{"errors": …, "result": …}`; listings are
 * `result: {totalCount, searchResults[]}` with `rows` (1–500) and `start` (offset) paging.
 * Only the fields StageBench reads are typed; every record keeps the rest as-is.
 *
 * `revision` is the per-record change counter of the StageBench reference tenant; against a real
 * tenant, which has none, the client falls back to `modifiedAt` (see revisionOf).
 */

/** The response envelope of every v1 call. */
export interface IvantiEnvelope<T> {
  errors: unknown;
  result: T;
}

/** A listing page. */
export interface SearchResult<T> {
  totalCount: number;
  searchResults: T[];
}

/** A device space / partition (`GET /api/v1/tenant/partition/device`). */
export interface DevicePartition {
  id: string | number;
  name: string;
  defaultPartition: boolean;
  [field: string]: unknown;
}

/** A device record (`GET /api/v1/device`). `registrationState`: ACTIVE, RETIRED, WIPED, … */
export interface TenantDevice {
  id: string | number;
  guid?: string;
  serialNumber?: string;
  udid?: string;
  deviceModel?: string;
  platformType?: string;
  osVersion?: string;
  registrationState?: string;
  emailAddress?: string;
  displayName?: string;
  modifiedAt?: string;
  revision?: number | string;
  customAttributes?: Record<string, string>;
  [field: string]: unknown;
}

/** A user account (`GET /api/v1/account`, `POST /api/v1/accounts`). `inviteState`: e.g. SENT, NOT_SENT. */
export interface TenantAccount {
  id: string | number;
  uid?: string;
  emailAddress?: string;
  firstName?: string;
  lastName?: string;
  accountSource?: string;
  inviteState?: string;
  inviteResendCount?: number;
  inviteLastSentAt?: string;
  enabled?: boolean;
  locked?: boolean;
  createdAt?: string;
  modifiedAt?: string;
  revision?: number | string;
  [field: string]: unknown;
}

/** A page as the client returns it. */
export interface Page<T> {
  totalCount: number;
  records: T[];
}

/** Result of a write: the record's new revision (from ETag or the body) and the record when returned. */
export interface WriteResult<T> {
  revision: string | null;
  record: T | null;
}

/** Per-write options: the idempotency key (sent as `Idempotency-Key`) and the precondition revision (`If-Match`). */
export interface WriteOptions {
  idempotencyKey?: string;
  /** Revision the change was made against; null/undefined = unconditional. */
  ifMatch?: string | null;
}

/**
 * The revision token of a record: `revision` when the tenant provides one (reference tenant),
 * else `modifiedAt`, else null.
 */
export function revisionOf(record: { revision?: unknown; modifiedAt?: unknown } | null | undefined): string | null {
  if (!record) return null;
  if (record.revision !== undefined && record.revision !== null) return String(record.revision);
  if (typeof record.modifiedAt === 'string') return record.modifiedAt;
  return null;
}
