/**
 * Errors of the Device Assignment client. Apple's error codes arrive as the response body — a
 * JSON-quoted string (`"EXHAUSTED_CURSOR"`), a JSON object (`{"code":"T_C_NOT_SIGNED"}`) or plain
 * text — and are matched by substring, as NanoDEP and Fleet do (AppleDocs "Interpreting Automated
 * Device Enrollment error codes").
 */

/** Error codes StageBench recognises in Apple's responses. */
export const DEP_ERROR_CODES = [
  'T_C_NOT_SIGNED', 'ACCESS_DENIED', 'FORBIDDEN', 'UNAUTHORIZED', 'TOO_MANY_REQUESTS',
  'EXHAUSTED_CURSOR', 'EXPIRED_CURSOR', 'INVALID_CURSOR', 'CURSOR_REQUIRED',
  'DEVICE_ID_REQUIRED', 'PROFILE_UUID_REQUIRED', 'PROFILE_NOT_FOUND',
  'CONFIG_NAME_REQUIRED', 'CONFIG_NAME_INVALID', 'CONFIG_URL_REQUIRED', 'CONFIG_URL_INVALID',
  'DEPARTMENT_INVALID', 'FLAGS_INVALID', 'LOCALE_INVALID', 'MAGIC_INVALID', 'SUPPORT_EMAIL_INVALID',
  'SUPPORT_PHONE_INVALID', 'USER_AGENT_MISSING', 'USER_AGENT_INVALID', 'MALFORMED_REQUEST_BODY',
] as const;

/** A recognised Apple error code, or `undefined` when the body carries none. */
export type DepErrorCode = (typeof DEP_ERROR_CODES)[number];

/** Admin-facing explanation of each code: what is wrong and what to do. */
const HINTS: Partial<Record<DepErrorCode, string>> = {
  T_C_NOT_SIGNED: 'Apple Business Manager has new terms and conditions: an administrator must sign in to business.apple.com and accept them, then retry',
  ACCESS_DENIED: 'Apple denied access with this server token: check in Apple Business Manager that the MDM server still exists, then download a new token and upload it (Upload New Token)',
  FORBIDDEN: 'Apple refused the request: the session is stale or the token was revoked; retry, and if it persists upload a new server token',
  UNAUTHORIZED: 'Apple did not accept the server token (invalid or expired consumer key, token or signature): upload a new server token from Apple Business Manager',
  TOO_MANY_REQUESTS: 'Apple is rate limiting this server: wait a few minutes and retry',
  EXHAUSTED_CURSOR: 'the device listing cursor has already returned every device',
  EXPIRED_CURSOR: 'the sync cursor is older than 7 days; a full sync is needed',
  INVALID_CURSOR: 'Apple did not recognise the stored cursor; a full sync is needed',
  CURSOR_REQUIRED: 'a sync needs a cursor from a full device listing; run a full sync',
  DEVICE_ID_REQUIRED: 'the request named no device serial numbers',
  PROFILE_UUID_REQUIRED: 'the request named no profile_uuid',
  PROFILE_NOT_FOUND: 'Apple has no profile with this profile_uuid (it may have been defined on another server); define the profile again',
  USER_AGENT_MISSING: 'the request carried no User-Agent header',
  USER_AGENT_INVALID: 'Apple rejected the User-Agent header',
};

/**
 * An HTTP or protocol failure of a Device Assignment call. `status` is the HTTP status (0 for a
 * network error or timeout), `code` Apple's error code if the body carried a known one, `body`
 * the response text (never contains secrets: Apple does not echo tokens), `retryAfterSeconds`
 * from a `Retry-After` header. The message names the endpoint and says what to do.
 */
export class DepApiError extends Error {
  constructor(
    message: string,
    readonly endpoint: string,
    readonly status: number,
    readonly code: DepErrorCode | undefined,
    readonly body: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DepApiError';
  }

  /** True for cursor codes after which a full fetch must restart (EXPIRED/INVALID/CURSOR_REQUIRED). */
  get cursorReset(): boolean {
    return this.code === 'EXPIRED_CURSOR' || this.code === 'INVALID_CURSOR' || this.code === 'CURSOR_REQUIRED';
  }
}

/** Finds a known code in a response body by substring, the way NanoDEP's `httpError.Contains` does. */
export function findDepErrorCode(body: string): DepErrorCode | undefined {
  // Longest first so e.g. FORBIDDEN never shadows a more specific code in the same body.
  const sorted = [...DEP_ERROR_CODES].sort((a, b) => b.length - a.length);
  return sorted.find((c) => body.includes(c));
}

/**
 * Builds the DepApiError of a non-2xx response: `METHOD path: HTTP status CODE — hint`.
 * `retryAfterSeconds` is the parsed Retry-After header, if any.
 */
export function depApiErrorFor(endpoint: string, status: number, body: string, retryAfterSeconds?: number): DepApiError {
  const code = findDepErrorCode(body) ?? (status === 429 ? 'TOO_MANY_REQUESTS' : status === 401 ? 'UNAUTHORIZED' : undefined);
  const hint = code ? HINTS[code] : undefined;
  const snippet = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  const what = code ?? (snippet.trim() || 'no error code');
  const text = `${endpoint}: HTTP ${status} ${what}${hint ? ` — ${hint}` : ''}${retryAfterSeconds !== undefined ? ` (Retry-After ${retryAfterSeconds} s)` : ''}`;
  return new DepApiError(text, endpoint, status, code, body, retryAfterSeconds);
}
