import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs, splitIntoBatches, tokenExpiryWarning } from '../../main/dep';

test('splitIntoBatches: at most 1000 per batch, order kept, duplicates and blanks dropped', () => {
  const serials = Array.from({ length: 2001 }, (_, i) => `S${i}`);
  const b = splitIntoBatches([...serials, 'S5', ' ', '']);
  assert.deepEqual(b.map((x) => x.length), [1000, 1000, 1]);
  assert.equal(b[0][0], 'S0');
  assert.equal(b[2][0], 'S2000');
  assert.deepEqual(splitIntoBatches(['A', 'B', 'C'], 2), [['A', 'B'], ['C']]);
  assert.deepEqual(splitIntoBatches([]), []);
  assert.throws(() => splitIntoBatches(['A'], 1001), /1 to 1000/);
  assert.throws(() => splitIntoBatches(['A'], 0), /1 to 1000/);
});

test('retryDelayMs: exponential with jitter in [0.5,1), capped; Retry-After honoured; too long → null', () => {
  const p = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000 };
  assert.equal(retryDelayMs(1, p, () => 0), 500);
  assert.equal(retryDelayMs(1, p, () => 0.999), 1000);
  assert.equal(retryDelayMs(3, p, () => 0), 2000);
  assert.equal(retryDelayMs(10, p, () => 0.999), 9995); // exponent capped at maxDelayMs, then jitter
  for (let i = 0; i < 50; i++) {
    const d = retryDelayMs(2, p, Math.random)!;
    assert.ok(d >= 1000 && d <= 2000, String(d));
  }
  assert.equal(retryDelayMs(1, p, () => 0, 7), 7000);
  assert.equal(retryDelayMs(1, p, () => 0.5, 7), 7350);
  assert.equal(retryDelayMs(1, p, () => 0, 60), null);
  assert.equal(DEFAULT_RETRY_POLICY.maxAttempts, 5);
});

test('parseRetryAfter: seconds or HTTP-date', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('12', now), 12);
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});

test('tokenExpiryWarning: 30 / 7 / 1 day levels and expired', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  const at = (days: number): string => new Date(now.getTime() + days * 86_400_000).toISOString();
  assert.equal(tokenExpiryWarning(at(45), now).level, 'none');
  assert.equal(tokenExpiryWarning(at(30), now).level, '30-days');
  assert.equal(tokenExpiryWarning(at(8), now).level, '30-days');
  assert.equal(tokenExpiryWarning(at(7), now).level, '7-days');
  assert.equal(tokenExpiryWarning(at(1.5), now).level, '7-days');
  assert.equal(tokenExpiryWarning(at(1), now).level, '1-day');
  assert.equal(tokenExpiryWarning(at(0.01), now).level, '1-day');
  const gone = tokenExpiryWarning(at(-2), now);
  assert.equal(gone.level, 'expired');
  assert.match(gone.message, /expired on 2025-05-30.*upload/);
  assert.match(tokenExpiryWarning(at(7), now).message, /in 7 days \(2025-06-08\)/);
  assert.equal(tokenExpiryWarning(at(10), now).daysLeft, 10);
  assert.throws(() => tokenExpiryWarning('not a date', now), /not a date/);
});
