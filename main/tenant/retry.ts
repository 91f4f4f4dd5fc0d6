/**
 * Bounded retry with exponential backoff and jitter for tenant calls. Ivanti's API landing page
 * asks clients to retry on 429 and 503; Retry-After (RFC 9110 §10.2.3: delay-seconds or an
 * HTTP-date) is honoured when present. Time comes from an injectable Clock so tests do not sleep.
 */

/** Time source and sleeper. `now()` is epoch ms; `sleep(ms)` resolves after `ms` milliseconds. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Retry policy; delays in milliseconds. */
export interface RetryPolicy {
  /** Attempts in total including the first (default 6). */
  maxAttempts: number;
  /** Delay before the first retry, before jitter (default 250). */
  baseDelayMs: number;
  /** Cap on any one wait; a longer Retry-After makes the call fail instead (default 60000). */
  maxDelayMs: number;
}

/** Default: 6 attempts, 250 ms doubling (≈ 0.25, 0.5, 1, 2, 4 s before jitter), at most 60 s a wait. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 60_000 };

/**
 * Delay in ms before retry number `retry` (1 = first retry). With `retryAfterSeconds` the delay
 * is that many seconds plus up to 10 % jitter; otherwise `base·2^(retry−1)` (capped) times a
 * jitter factor in [0.5, 1). `random` returns [0, 1). Returns null when the delay would exceed
 * `policy.maxDelayMs` (the caller gives up).
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number, retryAfterSeconds?: number): number | null {
  let delay: number;
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    delay = retryAfterSeconds * 1000 * (1 + 0.1 * random());
  } else {
    delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)) * (0.5 + 0.5 * random());
  }
  delay = Math.round(delay);
  return delay > policy.maxDelayMs ? null : delay;
}

/** Parses a Retry-After header value into seconds from `nowMs`; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - nowMs) / 1000));
}
