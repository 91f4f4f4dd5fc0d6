/**
 * Errors of the Ivanti tenant client (Neurons for MDM Customer Integration API v1). None of them
 * ever carries the password or the `Authorization` header.
 */

/** Base class: any failure talking to the tenant. `status` is the HTTP status when there was a response. */
export class TenantError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'TenantError';
  }
}

/**
 * 401/403: the tenant refused the credentials or the account lacks the role (Ivanti: Tenant Admin
 * or an API role; Basic auth fails when MFA is enforced). Sync stops; the operator must fix the
 * settings.
 */
export class TenantAuthError extends TenantError {
  constructor(status: number, url: string) {
    super(status === 401
      ? `the tenant at ${url} refused the user name or password (HTTP 401); check them with \`stagebench sync configure\` (Basic auth does not work for accounts with MFA)`
      : `the tenant account is not allowed to do this (HTTP 403 at ${url}); give it the API and device/user management roles`, status);
    this.name = 'TenantAuthError';
  }
}

/** The tenant could not be reached or kept failing (network error, timeout, 429/503/5xx) after every retry. */
export class TenantUnavailableError extends TenantError {
  constructor(message: string, status?: number) {
    super(message, status);
    this.name = 'TenantUnavailableError';
  }
}

/** 412 Precondition Failed / 409 Conflict: the record changed since the revision sent in `If-Match`. */
export class TenantConflictError extends TenantError {
  constructor(message: string, status: number) {
    super(message, status);
    this.name = 'TenantConflictError';
  }
}

/** 404: the record (device, account) does not exist on the tenant. */
export class TenantNotFoundError extends TenantError {
  constructor(message: string) {
    super(message, 404);
    this.name = 'TenantNotFoundError';
  }
}

/** Any other 4xx: the tenant rejected the request as invalid; retrying will not help. */
export class TenantRejectedError extends TenantError {
  constructor(message: string, status: number) {
    super(message, status);
    this.name = 'TenantRejectedError';
  }
}

/** Invalid connection settings or call arguments (bad URL, rows out of 1–500, …). */
export class TenantInputError extends TenantError {
  constructor(message: string) {
    super(message);
    this.name = 'TenantInputError';
  }
}
