/**
 * libimobiledevice's `idevicerestore` as a restore backend: `idevicerestore --ecid 0x… --no-input
 * [--erase] (<ipsw> | --latest)`; revive = the default "update" restore (keeps data), restore =
 * `--erase` (../shared/reference/device-protocols.md §5.4). Which devices a build supports
 * depends on its age: Debian bookworm's 1.0.0 (2020, libirecovery 1.0.0) predates Apple silicon
 * Macs and A15+ devices; upstream builds from 2021 on (`idevicerestore 1.0.0-N-gHASH` or later)
 * restore Apple silicon Macs (needs libtatsu), with reports of failures on Linux.
 * Output: step lines ("Sending iBEC (…)", "Waiting for device to enter restore mode"), a text
 * progress bar `[=====     ]  45.0%`, "Status: Restore Finished" / "DONE", "ERROR: …".
 */
import { ecidHex, type ParsedLine, type RestoreBackend, type RestoreTarget } from './types';

/** CPIDs the 2020 release knows (libirecovery 1.0.0 device table): A9–A14, Apple TV. */
const RELEASE_1_0_0_CPIDS = new Set([0x8000, 0x8003, 0x8010, 0x8011, 0x8015, 0x8020, 0x8027, 0x8030, 0x8101, 0x7000, 0x7001, 0x8001, 0x8006, 0x8012]);

/** True when the version text names a build newer than the 2020 release (git-describe suffix or > 1.0.0). */
export function isPost2020Build(version: string | null): boolean {
  if (!version) return false;
  const m = /(\d+)\.(\d+)\.(\d+)(-\d+-g[0-9a-f]+)?/.exec(version);
  if (!m) return false;
  const [maj, min, pat] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return maj > 1 || (maj === 1 && (min > 0 || pat > 0)) || m[4] !== undefined;
}

/** Parses one line of idevicerestore output. */
export function parseIdevicerestoreLine(line: string): ParsedLine | null {
  const t = line.replace(/\r/g, '').trim();
  if (!t) return null;
  const bar = /^\[[=\s]*\]\s*(\d{1,3}(?:\.\d+)?)%/.exec(t);
  if (bar) return { percent: Math.min(100, Number(bar[1])) };
  if (/^ERROR:/i.test(t)) return { error: t.replace(/^ERROR:\s*/i, '') };
  const status = /^Status:\s*(.+)$/.exec(t);
  if (status) return /Restore Finished/i.test(status[1]) ? { phase: 'restore finished', percent: 100, done: true } : { phase: status[1] };
  if (/^DONE$/.test(t)) return { done: true, percent: 100, phase: 'done' };
  const step = /^(Extracting|Sending|Waiting|Requesting|Getting|Connecting|Restoring|Verifying|Checking|Flashing|Uploading|Updating|Rebooting|Personalizing|About to)\b(.*)$/i.exec(t);
  if (step) return { phase: t.replace(/\s*\(\d+ bytes\)\.*$/, '').replace(/\.+$/, '') };
  return null;
}

/** The idevicerestore backend for the executable at `path` with version text `version`. */
export function idevicerestoreBackend(path: string, version: string | null): RestoreBackend {
  const modern = isPost2020Build(version);
  return {
    name: 'idevicerestore',
    path,
    version,
    supports(target: RestoreTarget) {
      const family = target.chip?.family;
      if (family === 'mac' && !modern) {
        return { ok: false, reason: `${version ?? 'this idevicerestore'} predates Apple silicon Mac support (added upstream in 2021); build upstream idevicerestore with libtatsu, or use Apple Configurator (cfgutil) on a Mac` };
      }
      if (family === 'virtual') return { ok: false, reason: 'a VirtualMac is restored from its host, not over USB' };
      if (target.cpid !== undefined && !modern && family !== 't2' && !RELEASE_1_0_0_CPIDS.has(target.cpid)) {
        return { ok: false, reason: `${version ?? 'this idevicerestore'} does not know CPID 0x${target.cpid.toString(16)} (${target.chip?.name ?? 'unknown chip'}); use a newer upstream build or Apple Configurator` };
      }
      return { ok: true };
    },
    argv: (target, op, ipsw) => ['--ecid', ecidHex(target.ecid), '--no-input', ...(op === 'restore' ? ['--erase'] : []), ...(ipsw ? [ipsw] : ['--latest'])],
    parseLine: parseIdevicerestoreLine,
  };
}
