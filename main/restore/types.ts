/**
 * Revive / restore of devices in DFU or recovery mode (../shared/reference/device-protocols.md
 * §5.4): **revive** reinstalls firmware and recoveryOS and keeps user data (idevicerestore's
 * default "update"); **restore** also erases and installs the OS (idevicerestore `--erase`).
 * The work is done by an external tool behind a RestoreBackend: Apple's `cfgutil` on macOS, or
 * `idevicerestore` where it supports the device.
 */
import type { ChipInfo } from '../usb';

/** What to do. */
export type RestoreOperation = 'revive' | 'restore';

/** A device to revive/restore, identified by ECID (as in `cfgutil --ecid`). */
export interface RestoreTarget {
  ecid: bigint;
  /** Chip (from the DFU descriptor) when known; null when only the ECID was given. */
  chip: ChipInfo | null;
  /** CPID when known. */
  cpid?: number;
  /** `%08X-%016X` UDID when the CPID is known. */
  udid?: string;
}

/** A progress report parsed from a tool's output. `percent` 0–100 when the tool gave one. */
export interface RestoreProgress {
  ecid: string;
  phase: string;
  percent: number | null;
  /** The output line it came from (no secrets: these tools print none). */
  line: string;
}

/** What parsing one output line yields: a new phase, a percentage, a failure message, or nothing. */
export interface ParsedLine {
  phase?: string;
  percent?: number;
  error?: string;
  done?: boolean;
}

/** An external revive/restore tool. */
export interface RestoreBackend {
  name: 'cfgutil' | 'idevicerestore';
  /** Absolute path of the executable. */
  path: string;
  /** Version text the tool printed, when known. */
  version: string | null;
  /** Whether it can do `op` on `target`; `reason` says why not (and what to do). */
  supports(target: RestoreTarget, op: RestoreOperation): { ok: true } | { ok: false; reason: string };
  /** Command-line arguments for `op` on `target` (`ipsw`: a firmware file; default the latest from Apple). */
  argv(target: RestoreTarget, op: RestoreOperation, ipsw?: string): string[];
  /** Parses one line of the tool's stdout/stderr. */
  parseLine(line: string): ParsedLine | null;
}

/** No tool on this host can do it. The message says what to do. */
export class RestoreNotSupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreNotSupportedError';
  }
}

/** `0x`-prefixed upper-case 16-digit hex of an ECID (the form cfgutil and idevicerestore accept). */
export function ecidHex(ecid: bigint): string {
  return `0x${ecid.toString(16).toUpperCase().padStart(16, '0')}`;
}
