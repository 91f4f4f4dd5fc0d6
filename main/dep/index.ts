/**
 * Automated Device Enrollment (Apple Business Manager / DEP): public face of main/dep.
 *
 * - api/      Apple's Device Assignment client (OAuth 1.0a /session, devices, profiles, assign)
 * - token/    server key pair and server token (`*_smime.p7m`) decryption, expiry warnings
 * - sync/     cursor-based device sync into SQLite, crash-safe sync lock
 * - servers/  the ABM server service (add, token upload, test, sync, delete, listings)
 *
 * Other modules append their exports below (one block each).
 */

// ── ABM servers, tokens, Device Assignment API, device sync ──
export * from './api/types';
export { DepClient, type DepClientOptions, type DepClientEvent } from './api/client';
export { DepApiError, findDepErrorCode, DEP_ERROR_CODES, type DepErrorCode } from './api/errors';
export { DEFAULT_RETRY_POLICY, retryDelayMs, parseRetryAfter, type RetryPolicy } from './api/backoff';
export { splitIntoBatches } from './api/batch';
export { oauthAuthorizationHeader, signatureBaseString, hmacSha1Signature, parseOAuthHeader, oauthPercentEncode, type OAuthCredentials } from './api/oauth';
export * from './token';
export { runDeviceSync, type SyncOptions, type SyncProgress, type SyncResult } from './sync/syncer';
export { acquireSyncLock, currentSyncLock, SyncInProgressError, type SyncLock, type SyncLockOptions } from './sync/lock';
export { getSyncState, type SyncState, type SyncPhase } from './sync/state';
export { latestPerSerial } from './sync/apply';
export { createDepServerService, validateBaseUrl, type DepServerService, type DepServerServiceOptions, type AddServerInput, type TokenUploadResult, type TestConnectionResult } from './servers/service';
export { queryServers, queryDevices, SERVER_SORT_COLUMNS, DEVICE_SORT_COLUMNS, type DepServerRow, type DepDeviceRow, type ServerListQuery, type DeviceListQuery, type ServerSortColumn } from './servers/queries';
export { recordAssignmentResults, listAssignmentResults, type AssignmentResultRow } from './servers/assignments';
export { DepInputError } from './servers/errors';

// ── DEP profiles, Setup Assistant editor, macOS account setup, custom enrollment ──
export * from './profiles';
export * from './setup-assistant';
export * from './accounts';
export * from './enrollment';
