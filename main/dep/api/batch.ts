/**
 * Splitting of serial lists into Apple-sized batches (AppleDocs assign-profile: "keep each
 * request to 1000 devices or fewer").
 */
import { DEP_MAX_LIMIT } from './types';

/**
 * Splits `serials` into consecutive batches of at most `size` (1..1000, default 1000), dropping
 * duplicates and empty strings while keeping first-seen order. Throws RangeError for a size
 * outside 1..1000.
 */
export function splitIntoBatches(serials: readonly string[], size = DEP_MAX_LIMIT): string[][] {
  if (!Number.isInteger(size) || size < 1 || size > DEP_MAX_LIMIT) throw new RangeError(`batch size must be a whole number from 1 to ${DEP_MAX_LIMIT}, not ${size}`);
  const unique = [...new Set(serials.map((s) => s.trim()).filter((s) => s.length > 0))];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}
