/**
 * Bounded HTTP retry delays shared by the HTTP clients (Apple Device Assignment in
 * main/dep/api, tenant calls in main/tenant): exponential backoff with jitter, or the server's
 * Retry-After (RFC 9110 §10.2.3) when it sent one. Pure functions; randomness and time are
 * passed in so tests are deterministic. Each client keeps its own default policy.
 */

/** Retry policy. All delays are milliseconds. */
export interface RetryPolicy {
  /** Attempts in total, including the first. */
  maxAttempts: number;
  /** Delay before the first retry, before jitter (ms). */
  baseDelayMs: number;
  /** Largest delay the client will wait (ms); a longer Retry-After makes the call fail instead. */
  maxDelayMs: number;
}

/**
 * Delay in ms before retry number `retry` (1 = first retry).
 * - With `retryAfterSeconds` (seconds, finite and ≥ 0 — from a Retry-After header or a body
 *   field such as Apple's `retry_after_seconds`): that many seconds plus up to 10 % jitter.
 * - Otherwise `baseDelayMs·2^(retry−1)`, capped at `maxDelayMs`, times a jitter factor in [0.5, 1).
 *
 * `random` returns a number in [0, 1) (e.g. `Math.random`). The result is rounded to whole ms.
 * Returns `null` when the delay would exceed `policy.maxDelayMs` (the caller gives up).
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
 * Parses a `Retry-After` header value into whole seconds from `nowMs` (epoch ms). RFC 9110
 * §10.2.3 allows two forms: `delay-seconds` (a non-negative decimal integer, e.g. `120`) and an
 * `HTTP-date` (e.g. `Wed, 21 Oct 2015 07:28:00 GMT`; a date in the past gives 0, later dates are
 * rounded up). Accepts a fetch `Headers.get()` value (string or null) or a node:http header
 * (string or string[]; the first value counts). Returns undefined when absent, blank or unparsable.
 */
export function parseRetryAfter(value: string | string[] | null | undefined, nowMs: number): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - nowMs) / 1000));
}
