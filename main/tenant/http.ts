/**
 * HTTP transport of the tenant client: node:http/https with a keep-alive agent, HTTP Basic auth
 * (the header is built here and never logged or put in an error), per-attempt timeouts, and
 * bounded retries with backoff and jitter for 429/503 (Retry-After honoured), other 5xx, network
 * errors, timeouts, dropped connections and truncated bodies (Content-Length not met, or JSON that
 * does not parse). 401/403 throw TenantAuthError at once. Other statuses are returned to the caller.
 */
import http from 'node:http';
import https from 'node:https';
import { TenantAuthError, TenantInputError, TenantUnavailableError } from './errors';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, parseRetryAfter, systemClock, type Clock, type RetryPolicy } from './retry';

/** Connection and behaviour of a TenantHttp. */
export interface TenantHttpOptions {
  /** Tenant base URL, e.g. `https://na1.mobileiron.com` (http only for loopback hosts). */
  baseUrl: string;
  user: string;
  /** Plaintext password, held in memory only. */
  password: string;
  /** Per-attempt timeout in ms: connect + idle socket (default 30000). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  /** Jitter source, [0, 1) (default Math.random). */
  random?: () => number;
  /** Called before each retry sleep (for progress/status): attempt number, delay ms, reason. */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
}

/** One request. `path` starts with `/` and may carry a query string. */
export interface TenantRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Content-Type of `body` (default application/x-www-form-urlencoded when a body is given). */
  contentType?: string;
  /** false = one attempt only (connectivity probe). Default true. */
  retry?: boolean;
  /** Overrides the per-attempt timeout. */
  timeoutMs?: number;
}

/** A complete response: status, lower-cased headers, whole body. */
export interface TenantResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A response whose body parsed as JSON. */
export interface TenantJsonResponse<T> extends TenantResponse {
  json: T;
}

class RetryableError extends Error {
  constructor(message: string, readonly status?: number, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Parses and checks a tenant URL: http(s), no credentials or query in it; plain http only for
 * loopback hosts (the reference tenant). Returns the URL without a trailing slash. Throws
 * TenantInputError otherwise.
 */
export function normalizeTenantUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TenantInputError(`tenant URL "${raw}" is not a URL; give e.g. https://na1.mobileiron.com`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new TenantInputError(`tenant URL must be https://… (got ${u.protocol})`);
  if (u.protocol === 'http:' && !LOOPBACK.has(u.hostname)) throw new TenantInputError(`tenant URL must use https (plain http is allowed only for a loopback test tenant): ${raw}`);
  if (u.username || u.password) throw new TenantInputError('put the user and password in their own settings, not in the tenant URL');
  if (u.search || u.hash) throw new TenantInputError('the tenant URL must not have a query or fragment');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** The transport. Create one per sync run (or keep it: it pools connections). */
export class TenantHttp {
  readonly baseUrl: string;
  private readonly auth: string;
  private readonly agent: http.Agent;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly timeoutMs: number;

  /** Throws TenantInputError for a bad URL or an empty user/password. */
  constructor(private readonly opts: TenantHttpOptions) {
    this.baseUrl = normalizeTenantUrl(opts.baseUrl);
    if (!opts.user) throw new TenantInputError('the tenant user name is empty');
    if (!opts.password) throw new TenantInputError('the tenant password is empty');
    this.auth = `Basic ${Buffer.from(`${opts.user}:${opts.password}`, 'utf8').toString('base64')}`;
    const isHttps = this.baseUrl.startsWith('https:');
    this.agent = isHttps ? new https.Agent({ keepAlive: true, maxSockets: 4 }) : new http.Agent({ keepAlive: true, maxSockets: 4 });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /**
   * Sends `req`, retrying as described in the module comment. Resolves with any non-retryable
   * response (2xx, 3xx, 4xx other than 401/403/429). Throws TenantAuthError (401/403),
   * TenantUnavailableError (attempts exhausted or a Retry-After above the policy cap).
   */
  request(req: TenantRequest): Promise<TenantResponse> {
    return this.withRetries(req, (res) => res);
  }

  /**
   * As request(), then parses the body as JSON; a body that does not parse (truncated) is retried
   * like a dropped connection. `T` is the expected document shape (not validated here).
   */
  requestJson<T>(req: TenantRequest): Promise<TenantJsonResponse<T>> {
    return this.withRetries(req, (res) => {
      if (res.status === 204 || res.body.length === 0) return { ...res, json: null as T };
      try {
        return { ...res, json: JSON.parse(res.body.toString('utf8')) as T };
      } catch {
        if (res.status >= 200 && res.status < 300) throw new RetryableError(`${req.method} ${pathOnly(req.path)}: response body is not complete JSON (truncated?)`);
        return { ...res, json: null as T };
      }
    });
  }

  /** Closes pooled connections. */
  close(): void {
    this.agent.destroy();
  }

  private async withRetries<R>(req: TenantRequest, finish: (res: TenantResponse) => R): Promise<R> {
    const attempts = req.retry === false ? 1 : this.policy.maxAttempts;
    let last: RetryableError | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await this.once(req);
        if (res.status === 401 || res.status === 403) throw new TenantAuthError(res.status, this.baseUrl);
        if (res.status === 429 || res.status >= 500) {
          throw new RetryableError(`${req.method} ${pathOnly(req.path)}: HTTP ${res.status}`, res.status, parseRetryAfter(res.headers['retry-after'], this.clock.now()));
        }
        return finish(res);
      } catch (err) {
        if (!(err instanceof RetryableError)) throw err;
        last = err;
        if (attempt === attempts) break;
        const delay = backoffDelayMs(attempt, this.policy, this.random, err.retryAfterSeconds);
        if (delay === null) {
          throw new TenantUnavailableError(`${err.message}; the tenant asked to wait ${err.retryAfterSeconds ?? '?'} s, longer than ${this.policy.maxDelayMs / 1000} s — try again later`, err.status);
        }
        this.opts.onRetry?.(attempt, delay, err.message);
        await this.clock.sleep(delay);
      }
    }
    throw new TenantUnavailableError(`tenant unavailable after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last?.message ?? 'unknown error'}`, last?.status);
  }

  private once(req: TenantRequest): Promise<TenantResponse> {
    const url = new URL(this.baseUrl + req.path);
    const mod = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers, authorization: this.auth };
    if (req.body !== undefined) {
      headers['content-type'] = req.contentType ?? 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(req.body));
    }
    const label = `${req.method} ${pathOnly(req.path)}`;
    const timeout = req.timeoutMs ?? this.timeoutMs;
    return new Promise<TenantResponse>((resolve, reject) => {
      let settled = false;
      const fail = (msg: string): void => {
        if (settled) return;
        settled = true;
        reject(new RetryableError(`${label}: ${msg}`));
      };
      const r = mod.request(url, { method: req.method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => fail(`connection dropped while reading the response (${e.message})`));
        res.on('close', () => {
          if (settled) return;
          const body = Buffer.concat(chunks);
          const declared = res.headers['content-length'];
          if (!res.complete || (declared !== undefined && Number(declared) !== body.length)) {
            fail(`response truncated (${body.length} of ${declared ?? 'unknown'} bytes)`);
            return;
          }
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      });
      r.setTimeout(timeout, () => {
        r.destroy(new Error(`no response within ${timeout} ms`));
      });
      r.on('error', (e: NodeJS.ErrnoException) => fail(e.code ? `${e.code} ${e.message}` : e.message));
      if (req.body !== undefined) r.end(req.body);
      else r.end();
    });
  }
}

function pathOnly(p: string): string {
  const q = p.indexOf('?');
  return q === -1 ? p : p.slice(0, q);
}
