/**
 * Frame tracing for debugging the emulator against real clients: when EMULATOR_TRACE=1 (or the
 * emulator is started with `trace: true`) every message in and out is written to stderr as a
 * one-line summary. Private keys are never printed: any key whose name contains "PrivateKey"
 * is replaced by a marker, and `<data>` values are shown as byte counts only (pair records sent
 * through usbmuxd SavePairRecord carry HostPrivateKey/RootPrivateKey inside such data).
 */
import type { PlistDict, PlistValue } from '../../../main/apple/wire';

let forced = false;

/** Turns tracing on for this process regardless of EMULATOR_TRACE. */
export function enableTrace(): void {
  forced = true;
}

/** True when frames should be traced. */
export function traceEnabled(): boolean {
  return forced || process.env.EMULATOR_TRACE === '1';
}

function redact(v: PlistValue, key = ''): unknown {
  if (/privatekey/i.test(key)) return '<redacted>';
  if (v instanceof Uint8Array) return `<data ${v.byteLength} bytes>`;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map((x) => redact(x));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = redact(x, k);
    return out;
  }
  return v;
}

/**
 * Writes `[emulator] <where> <dir> <summary>` to stderr when tracing is on. `dir` is "<-" for
 * messages received from the host and "->" for messages sent.
 */
export function trace(where: string, dir: '<-' | '->' | '--', body: PlistDict | string): void {
  if (!traceEnabled()) return;
  const text = typeof body === 'string' ? body : JSON.stringify(redact(body));
  process.stderr.write(`[emulator] ${where} ${dir} ${text}\n`);
}
