/**
 * "Token Expires" warnings for ABM server tokens (valid about one year, renewed in ABM). The
 * Ivanti Device Enrollment page shows the expiry date; StageBench warns 30, 7 and 1 day ahead.
 */

/** Warning level: none, within 30 days, within 7 days, within 1 day, or already expired. */
export type TokenExpiryLevel = 'none' | '30-days' | '7-days' | '1-day' | 'expired';

/** A level and whole days left (negative once expired; rounded down). */
export interface TokenExpiryWarning {
  level: TokenExpiryLevel;
  daysLeft: number;
  /** Admin-facing text, empty for `none`. */
  message: string;
}

const DAY_MS = 86_400_000;

/**
 * Warning level for a token expiring at `expiry` (Date or ISO-8601 string) seen at `now`:
 * `expired` when expiry ≤ now, `1-day` when ≤ 1 day left, `7-days` ≤ 7, `30-days` ≤ 30,
 * `none` otherwise. Throws RangeError for an unparsable date.
 */
export function tokenExpiryWarning(expiry: Date | string, now: Date = new Date()): TokenExpiryWarning {
  const t = typeof expiry === 'string' ? Date.parse(expiry) : expiry.getTime();
  if (Number.isNaN(t)) throw new RangeError(`token expiry "${String(expiry)}" is not a date`);
  const left = t - now.getTime();
  const daysLeft = Math.floor(left / DAY_MS);
  const date = new Date(t).toISOString().slice(0, 10);
  if (left <= 0) return { level: 'expired', daysLeft, message: `the server token expired on ${date}: download a new token in Apple Business Manager and upload it (Upload New Token)` };
  const level: TokenExpiryLevel = left <= DAY_MS ? '1-day' : left <= 7 * DAY_MS ? '7-days' : left <= 30 * DAY_MS ? '30-days' : 'none';
  if (level === 'none') return { level, daysLeft, message: '' };
  const when = left <= DAY_MS ? 'within a day' : `in ${Math.ceil(left / DAY_MS)} days`;
  return { level, daysLeft, message: `the server token expires ${when} (${date}): renew it in Apple Business Manager and upload the new token` };
}
