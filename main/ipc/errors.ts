/**
 * Error text for the IPC boundary: zod issue formatting (naming the field) and secret redaction.
 * Nothing here ever returns a stack trace or a secret value.
 */
import type { z } from 'zod';
import type { SecretPaths } from './contract';

/** Stable error codes carried in `{error: {code}}`. */
export const IPC_ERROR_CODES = {
  invalidInput: 'E_INVALID_INPUT',
  unknownChannel: 'E_UNKNOWN_CHANNEL',
  badOutput: 'E_BAD_OUTPUT',
  internal: 'E_INTERNAL',
} as const;

/** Placeholder written where a secret value was found in error text. */
export const REDACTED = '[redacted]';

const MAX_LISTED_ISSUES = 5;

/** Dotted path of a zod issue (`scep.keySize`, `anchors[0].base64`), or `(input)` for the root. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += (out ? '.' : '') + String(part);
  }
  return out || '(input)';
}

/**
 * One readable line from zod issues: `field: message; field: message` (at most five, then
 * `(+N more)`). zod's messages name expected types and options, not the received value.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `${issuePath(i.path)}: ${i.message}`);
  if (issues.length > MAX_LISTED_ISSUES) parts.push(`(+${issues.length - MAX_LISTED_ISSUES} more)`);
  return parts.join('; ');
}

/** String values found at `paths` inside `raw` (missing paths and non-strings are ignored). */
export function collectSecrets(raw: unknown, paths: SecretPaths | undefined): string[] {
  const found: string[] = [];
  for (const path of paths ?? []) {
    let cur: unknown = raw;
    for (const key of path) {
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
    }
    if (typeof cur === 'string' && cur.length > 0) found.push(cur);
  }
  return found;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `text` with every occurrence of each secret replaced by `[redacted]`. Secrets shorter than four
 * characters are replaced where they stand as a separate token, so that a one-letter password does
 * not shred the message; longer secrets are replaced wherever they occur.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
    else out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(secret)}(?![A-Za-z0-9])`, 'g'), REDACTED);
  }
  return out;
}

/** A machine code taken from a thrown error when it looks like one (`E_NOT_FOUND`, `ENOENT`). */
export function errorCode(err: unknown): string | undefined {
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code) ? code : undefined;
}

/** The message of a thrown value (no stack), or a generic text for non-errors. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  if (typeof err === 'string' && err) return err;
  return 'Internal error';
}
