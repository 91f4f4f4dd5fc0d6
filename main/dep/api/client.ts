/**
 * Client of Apple's Device Assignment web service (AppleDocs "Device Assignment"; behaviour of
 * NanoDEP `client/transport.go` and `godep/*.go`):
 * - `GET /session` signed with OAuth 1.0a HMAC-SHA1 (realm "ADM") from the server token;
 * - `X-ADM-Auth-Session` on every other call, replaced whenever a response carries a new one;
 *   one re-authentication and replay on 401 (or 403 FORBIDDEN, a stale session);
 * - `X-Server-Protocol-Version`, `User-Agent`, `Content-Type`/`Accept: application/json;charset=UTF8`;
 * - 429 / 503 retried with bounded exponential backoff and jitter, honouring Retry-After;
 * - per-request timeout (AbortSignal).
 */
import { DEFAULT_RETRY_POLICY, parseRetryAfter, realSleep, retryDelayMs, type RetryPolicy } from './backoff';
import { splitIntoBatches } from './batch';
import { DepApiError, depApiErrorFor } from './errors';
import { oauthAuthorizationHeader, randomNonce } from './oauth';
import {
  DEFAULT_DEP_BASE_URL, DEP_MAX_LIMIT, DEP_PROTOCOL_VERSION,
  type AccountDetail, type AssignProfileResponse, type BatchAssignResult, type DefineProfileResponse, type DepProfile,
  type DepTokens, type DeviceDetailsResponse, type FetchDeviceResponse, type FetchDevicesRequest, type GetProfileResponse,
  type RemoveProfileResponse,
} from './types';

/** Something that happened while calling Apple, for progress output (never contains secrets). */
export type DepClientEvent =
  | { kind: 'retry'; endpoint: string; status: number; attempt: number; delayMs: number; message: string }
  | { kind: 'reauth'; endpoint: string }
  | { kind: 'throttled'; endpoint: string; serials: number; delayMs: number; attempt: number };

/** Options of {@link DepClient}. Time values are milliseconds unless named otherwise. */
export interface DepClientOptions {
  /** OAuth credentials from the server token. */
  tokens: DepTokens;
  /** Base URL (default https://mdmenrollment.apple.com); a path prefix is kept. */
  baseUrl?: string;
  /** `User-Agent` (default `StageBench/0.1`). */
  userAgent?: string;
  /** `X-Server-Protocol-Version` (default 3). */
  protocolVersion?: number;
  /** Per-request timeout (default 30000). */
  timeoutMs?: number;
  /** Retry policy for 429/503, network errors of idempotent calls and THROTTLED devices. */
  retry?: Partial<RetryPolicy>;
  /** HTTP method of Assign a Profile: POST (AppleDocs) or PUT (depsim, older docs). Default POST. */
  assignMethod?: 'POST' | 'PUT';
  /** A session token to start with (e.g. from a previous client); re-authenticates when absent. */
  sessionToken?: string;
  /** Called when the session token changes (new `/session` or a rotated `X-ADM-Auth-Session`). */
  onSessionToken?: (token: string) => void;
  /** Progress events (retries, re-authentication, throttling). */
  onEvent?: (e: DepClientEvent) => void;
  /** Injectable for tests: fetch, sleep, random in [0,1), clock (ms since epoch), nonce. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  nonce?: () => string;
}

interface CallOptions {
  body?: unknown;
  /** Retry network errors and timeouts too (safe to repeat). */
  idempotent: boolean;
}

/**
 * A Device Assignment client bound to one server token. Methods throw DepApiError (HTTP status,
 * Apple code, admin-facing message) on failure; the message never contains secrets.
 */
export class DepClient {
  private session: string | undefined;
  private readonly base: string;
  private readonly policy: RetryPolicy;
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly nonce: () => string;
  /** HTTP requests sent so far (including /session and retries). */
  requestCount = 0;

  constructor(private readonly opts: DepClientOptions) {
    const t = opts.tokens;
    for (const k of ['consumer_key', 'consumer_secret', 'access_token', 'access_secret'] as const) {
      if (typeof t[k] !== 'string' || t[k] === '') throw new TypeError(`server token field ${k} is missing; upload the server token again`);
    }
    this.base = (opts.baseUrl ?? DEFAULT_DEP_BASE_URL).replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.doFetch = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? realSleep;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    this.nonce = opts.nonce ?? randomNonce;
    this.session = opts.sessionToken;
  }

  /** The current `X-ADM-Auth-Session` value (undefined before the first call). Secret: never log it. */
  get sessionToken(): string | undefined {
    return this.session;
  }

  /**
   * `GET /session`: obtains a new `auth_session_token` with an OAuth 1.0a signed request and
   * keeps it. Retries 429 with backoff. Throws DepApiError (401 UNAUTHORIZED: token not
   * accepted; 403 T_C_NOT_SIGNED / ACCESS_DENIED) otherwise.
   */
  async authenticate(): Promise<string> {
    const url = `${this.base}/session`;
    const endpoint = 'GET /session';
    for (let attempt = 1; ; attempt++) {
      const auth = oauthAuthorizationHeader('GET', url, {
        consumerKey: this.opts.tokens.consumer_key,
        consumerSecret: this.opts.tokens.consumer_secret,
        token: this.opts.tokens.access_token,
        tokenSecret: this.opts.tokens.access_secret,
      }, { timestamp: Math.floor(this.now() / 1000), nonce: this.nonce() });
      let res: Response;
      try {
        res = await this.send(url, 'GET', { ...this.commonHeaders(), Authorization: auth });
      } catch (err) {
        const delay = attempt < this.policy.maxAttempts ? retryDelayMs(attempt, this.policy, this.random) : null;
        if (delay === null) throw networkError(endpoint, err);
        this.opts.onEvent?.({ kind: 'retry', endpoint, status: 0, attempt, delayMs: delay, message: (err as Error).message });
        await this.sleep(delay);
        continue;
      }
      const text = await res.text();
      if (res.ok) {
        let token: unknown;
        try {
          token = (JSON.parse(text) as { auth_session_token?: unknown }).auth_session_token;
        } catch {
          token = undefined;
        }
        if (typeof token !== 'string' || !token) throw new DepApiError(`${endpoint}: the response has no auth_session_token; check the base URL (${this.base})`, endpoint, res.status, undefined, text.slice(0, 200));
        this.setSession(token);
        return token;
      }
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.now());
      if (res.status === 429 || res.status === 503) {
        const delay = attempt < this.policy.maxAttempts ? retryDelayMs(attempt, this.policy, this.random, retryAfter) : null;
        if (delay !== null) {
          this.opts.onEvent?.({ kind: 'retry', endpoint, status: res.status, attempt, delayMs: delay, message: `HTTP ${res.status}` });
          await this.sleep(delay);
          continue;
        }
      }
      throw depApiErrorFor(endpoint, res.status, text, retryAfter);
    }
  }

  /** `GET /account`: the server's AccountDetail (server_name, admin_id, org_name, ...). */
  account(): Promise<AccountDetail> {
    return this.call<AccountDetail>('GET', '/account', { idempotent: true });
  }

  /**
   * `POST /server/devices` ("Get a List of Devices"): one page of the full listing. `limit` is
   * clamped to 1..1000. Throws DepApiError with code EXHAUSTED_CURSOR (switch to sync) or
   * INVALID_CURSOR (restart without cursor).
   */
  fetchDevices(req: FetchDevicesRequest = {}): Promise<FetchDeviceResponse> {
    return this.call<FetchDeviceResponse>('POST', '/server/devices', { body: pageBody(req), idempotent: true }).then(checkPage('POST /server/devices'));
  }

  /**
   * `POST /devices/sync`: one page of changes since `cursor` (required). Throws DepApiError with
   * code EXPIRED_CURSOR / INVALID_CURSOR / CURSOR_REQUIRED (restart with a full fetch).
   */
  syncDevices(req: FetchDevicesRequest & { cursor: string }): Promise<FetchDeviceResponse> {
    return this.call<FetchDeviceResponse>('POST', '/devices/sync', { body: pageBody(req), idempotent: true }).then(checkPage('POST /devices/sync'));
  }

  /** `POST /devices` (Get Device Details) for up to 1000 serials per request; results merged. */
  async deviceDetails(serials: readonly string[]): Promise<DeviceDetailsResponse> {
    const out: DeviceDetailsResponse = { devices: {} };
    for (const batch of splitIntoBatches(serials)) {
      const r = await this.call<DeviceDetailsResponse>('POST', '/devices', { body: { devices: batch }, idempotent: true });
      Object.assign(out.devices, r?.devices ?? {});
    }
    return out;
  }

  /**
   * `POST /profile` (Define a Profile): returns `profile_uuid` and per-device statuses of any
   * `devices` in the profile (at most 1000; assign more with assignProfile). Not retried on
   * network errors (Apple would define the profile twice).
   */
  defineProfile(profile: DepProfile): Promise<DefineProfileResponse> {
    if (Array.isArray(profile.devices) && profile.devices.length > DEP_MAX_LIMIT) {
      throw new RangeError(`a profile can name at most ${DEP_MAX_LIMIT} devices when it is defined; assign the rest with assignProfile`);
    }
    return this.call<DefineProfileResponse>('POST', '/profile', { body: profile, idempotent: false });
  }

  /** `GET /profile?profile_uuid=`: the profile Apple holds. 400 PROFILE_NOT_FOUND when unknown. */
  getProfile(profileUuid: string): Promise<GetProfileResponse> {
    if (!profileUuid) throw new TypeError('profile_uuid is required');
    return this.call<GetProfileResponse>('GET', `/profile?profile_uuid=${encodeURIComponent(profileUuid)}`, { idempotent: true });
  }

  /**
   * Assign a Profile (`POST` or `PUT /profile/devices`) to any number of serials: sent in batches
   * of at most `batchSize` (≤ 1000); devices answered THROTTLED are resent after
   * `retry_after_seconds` (or backoff) up to the retry policy's attempts, then reported THROTTLED.
   * `onBatch` sees each response (e.g. to record results as they come).
   */
  async assignProfile(profileUuid: string, serials: readonly string[], opts: { batchSize?: number; onBatch?: (r: AssignProfileResponse) => void } = {}): Promise<BatchAssignResult> {
    if (!profileUuid) throw new TypeError('profile_uuid is required to assign a profile');
    const method = this.opts.assignMethod ?? 'POST';
    return this.batched(`${method} /profile/devices`, serials, opts.batchSize, async (batch) => {
      const r = await this.call<AssignProfileResponse>(method, '/profile/devices', { body: { profile_uuid: profileUuid, devices: batch }, idempotent: true });
      opts.onBatch?.(r);
      return r;
    }, profileUuid);
  }

  /**
   * Remove a Profile (`DELETE /profile/devices`) from any number of serials, batched like
   * assignProfile. `profileUuid` is optional (documented, unused by Apple).
   */
  async removeProfile(serials: readonly string[], opts: { profileUuid?: string; batchSize?: number; onBatch?: (r: RemoveProfileResponse) => void } = {}): Promise<BatchAssignResult> {
    return this.batched('DELETE /profile/devices', serials, opts.batchSize, async (batch) => {
      const body: Record<string, unknown> = { devices: batch };
      if (opts.profileUuid) body.profile_uuid = opts.profileUuid;
      const r = await this.call<RemoveProfileResponse>('DELETE', '/profile/devices', { body, idempotent: true });
      opts.onBatch?.(r);
      return r;
    }, opts.profileUuid);
  }

  private async batched(
    endpoint: string,
    serials: readonly string[],
    batchSize: number | undefined,
    send: (batch: string[]) => Promise<{ devices?: Record<string, string>; retry_after_seconds?: number }>,
    profileUuid?: string,
  ): Promise<BatchAssignResult> {
    const batches = splitIntoBatches(serials, batchSize);
    if (batches.length === 0) throw new TypeError('name at least one device serial number');
    const result: BatchAssignResult = { profile_uuid: profileUuid, devices: {}, requests: 0 };
    for (const batch of batches) {
      let pending = batch;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const r = await send(pending);
        result.requests++;
        const statuses = r?.devices ?? {};
        for (const s of pending) result.devices[s] = statuses[s] ?? 'FAILED';
        const throttled = pending.filter((s) => statuses[s] === 'THROTTLED');
        if (throttled.length === 0) break;
        const delay = attempt < this.policy.maxAttempts ? retryDelayMs(attempt, this.policy, this.random, r.retry_after_seconds) : null;
        if (delay === null) break; // leave them THROTTLED: the caller records and reports it
        this.opts.onEvent?.({ kind: 'throttled', endpoint, serials: throttled.length, delayMs: delay, attempt });
        await this.sleep(delay);
        pending = throttled;
      }
    }
    return result;
  }

  /** One authenticated call with session handling, re-auth on 401 and backoff on 429/503. */
  private async call<T>(method: string, path: string, o: CallOptions): Promise<T> {
    const endpoint = `${method} ${path.split('?')[0]}`;
    if (!this.session) await this.authenticate();
    let reauthed = false;
    for (let attempt = 1; ; ) {
      const headers: Record<string, string> = { ...this.commonHeaders(), 'X-ADM-Auth-Session': this.session! };
      let res: Response;
      try {
        res = await this.send(`${this.base}${path}`, method, headers, o.body === undefined ? undefined : JSON.stringify(o.body));
      } catch (err) {
        const delay = o.idempotent && attempt < this.policy.maxAttempts ? retryDelayMs(attempt, this.policy, this.random) : null;
        if (delay === null) throw networkError(endpoint, err);
        this.opts.onEvent?.({ kind: 'retry', endpoint, status: 0, attempt, delayMs: delay, message: (err as Error).message });
        await this.sleep(delay);
        attempt++;
        continue;
      }
      const rotated = res.headers.get('x-adm-auth-session');
      if (rotated && rotated !== this.session) this.setSession(rotated);
      const text = await res.text();
      if (res.ok) {
        if (!text.trim()) return undefined as T;
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new DepApiError(`${endpoint}: the response is not JSON; check the base URL (${this.base})`, endpoint, res.status, undefined, text.slice(0, 200));
        }
      }
      const stale = res.status === 401 || (res.status === 403 && text.includes('FORBIDDEN') && !text.includes('T_C_NOT_SIGNED') && !text.includes('ACCESS_DENIED'));
      if (stale && !reauthed) {
        reauthed = true;
        this.opts.onEvent?.({ kind: 'reauth', endpoint });
        await this.authenticate();
        continue;
      }
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.now());
      if (res.status === 429 || res.status === 503) {
        const delay = attempt < this.policy.maxAttempts ? retryDelayMs(attempt, this.policy, this.random, retryAfter) : null;
        if (delay !== null) {
          this.opts.onEvent?.({ kind: 'retry', endpoint, status: res.status, attempt, delayMs: delay, message: `HTTP ${res.status}` });
          await this.sleep(delay);
          attempt++;
          continue;
        }
      }
      throw depApiErrorFor(endpoint, res.status, text, retryAfter);
    }
  }

  private commonHeaders(): Record<string, string> {
    return {
      'User-Agent': this.opts.userAgent ?? 'StageBench/0.1',
      'X-Server-Protocol-Version': String(this.opts.protocolVersion ?? DEP_PROTOCOL_VERSION),
      'Content-Type': 'application/json;charset=UTF8',
      Accept: 'application/json;charset=UTF8',
    };
  }

  private async send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Response> {
    this.requestCount++;
    return this.doFetch(url, { method, headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000) });
  }

  private setSession(token: string): void {
    this.session = token;
    this.opts.onSessionToken?.(token);
  }
}

function pageBody(req: FetchDevicesRequest): FetchDevicesRequest {
  const body: FetchDevicesRequest = {};
  if (req.cursor) body.cursor = req.cursor;
  if (req.limit !== undefined) body.limit = Math.max(1, Math.min(DEP_MAX_LIMIT, Math.floor(req.limit)));
  return body;
}

function checkPage(endpoint: string): (r: FetchDeviceResponse) => FetchDeviceResponse {
  return (r) => {
    if (!r || typeof r.cursor !== 'string' || !Array.isArray(r.devices)) {
      throw new DepApiError(`${endpoint}: the response has no cursor or devices array (not a FetchDeviceResponse)`, endpoint, 200, undefined, '');
    }
    r.more_to_follow = r.more_to_follow === true;
    return r;
  };
}

function networkError(endpoint: string, err: unknown): DepApiError {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const why = e.name === 'TimeoutError' ? 'the request timed out' : (e.cause?.code ?? e.cause?.message ?? e.message);
  return new DepApiError(`${endpoint}: cannot reach Apple's Device Assignment service (${why}); check the network and the server's base URL`, endpoint, 0, undefined, '');
}
