/**
 * Bounded retry delays for the Device Assignment client. Apple documents no numeric rate limits
 * (429 TOO_MANY_REQUESTS, per-device THROTTLED with `retry_after_seconds`, AppleDocs
 * assign-profile); honouring Retry-After when present and backing off exponentially with jitter
 * otherwise is the usual client convention.
 */

/** Retry policy. Delays are milliseconds. */
export interface RetryPolicy {
  /** Attempts in total, including the first (default 5). */
  maxAttempts: number;
  /** Delay before the first retry, before jitter (default 1000). */
  baseDelayMs: number;
  /** Largest delay the client will wait; a longer Retry-After makes the call fail instead (default 120000). */
  maxDelayMs: number;
}

/** The default policy: 5 attempts, 1 s doubling, at most 2 min a wait. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 120_000 };

/**
 * Delay before retry number `retry` (1 = first retry), in ms. With `retryAfterSeconds` (from a
 * Retry-After header or `retry_after_seconds`) the delay is that many seconds plus up to 10 %
 * jitter; otherwise `base·2^(retry−1)` scaled by a jitter factor in [0.5, 1). `random` returns
 * [0, 1). Returns `null` when the delay would exceed `policy.maxDelayMs` (the caller gives up).
 */
export function retryDelayMs(retry: number, policy: RetryPolicy, random: () => number, retryAfterSeconds?: number): number | null {
  let delay: number;
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    delay = retryAfterSeconds * 1000 * (1 + 0.1 * random());
  } else {
    delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)) * (0.5 + 0.5 * random());
  }
  delay = Math.round(delay);
  return delay > policy.maxDelayMs ? null : delay;
}

/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) into seconds
 * from `nowMs`. Returns undefined when absent or unparsable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - nowMs) / 1000));
}

/** Sleeps `ms` milliseconds (the default `sleep` of the client; tests inject a fake). */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
