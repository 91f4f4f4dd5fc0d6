/**
 * Bounded retry with exponential backoff and jitter for tenant calls. Ivanti's API landing page
 * asks clients to retry on 429 and 503; Retry-After (RFC 9110 §10.2.3: delay-seconds or an
 * HTTP-date) is honoured when present. Time comes from an injectable Clock so tests do not sleep.
 * The delay arithmetic is shared with the Device Assignment client (main/net/retry); this module
 * holds the tenant defaults and the Clock.
 */
import type { RetryPolicy } from '../net/retry';

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

/**
 * Retry policy (delays in ms; see main/net/retry). Defaults here: 6 attempts, 250 ms base,
 * 60000 ms cap.
 */
export type { RetryPolicy } from '../net/retry';
/** Retry-After parsing (RFC 9110 §10.2.3: delay-seconds or HTTP-date → seconds); see main/net/retry. */
export { parseRetryAfter } from '../net/retry';
/**
 * Delay in ms before retry number `retry` (1 = first retry), or null when it would exceed
 * `policy.maxDelayMs`: main/net/retry `retryDelayMs` under the tenant client's name.
 */
export { retryDelayMs as backoffDelayMs } from '../net/retry';

/** Default: 6 attempts, 250 ms doubling (≈ 0.25, 0.5, 1, 2, 4 s before jitter), at most 60 s a wait. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 60_000 };
