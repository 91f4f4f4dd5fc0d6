/**
 * Bounded retry delays for the Device Assignment client. Apple documents no numeric rate limits
 * (429 TOO_MANY_REQUESTS, per-device THROTTLED with `retry_after_seconds`, AppleDocs
 * assign-profile); honouring Retry-After when present and backing off exponentially with jitter
 * otherwise is the usual client convention. The delay arithmetic is shared with the tenant client
 * (main/net/retry); this module holds the Device Assignment defaults.
 */
import type { RetryPolicy } from '../../net/retry';

/**
 * Retry policy (delays in ms; see main/net/retry). Defaults here: 5 attempts, 1000 ms base,
 * 120000 ms cap.
 */
export type { RetryPolicy } from '../../net/retry';
/** Delay before a retry and Retry-After parsing (RFC 9110 §10.2.3); see main/net/retry. */
export { parseRetryAfter, retryDelayMs } from '../../net/retry';

/** The default policy: 5 attempts, 1 s doubling, at most 2 min a wait. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 120_000 };

/** Sleeps `ms` milliseconds (the default `sleep` of the client; tests inject a fake). */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
