/**
 * Apple Configurator's `cfgutil` (macOS) as a restore backend (../shared/reference/device-protocols.md
 * §7): `cfgutil --ecid 0x… --format JSON --progress revive|restore [-I <ipsw>]`. It handles every
 * device Apple Configurator does, Apple silicon and T2 Macs included. Progress lines carry a
 * percentage; the final JSON document is `{Command, Type: "CommandOutput"|"Error", Message, Code, …}`.
 */
import { ecidHex, type ParsedLine, type RestoreBackend } from './types';

/** Parses one line of cfgutil output (`--progress` lines, or the final JSON document). */
export function parseCfgutilLine(line: string): ParsedLine | null {
  const t = line.trim();
  if (!t) return null;
  if (t.startsWith('{')) {
    try {
      const doc = JSON.parse(t) as { Type?: string; Message?: string; Code?: number; FailureReason?: string };
      if (doc.Type === 'Error') return { error: `${doc.Message ?? 'cfgutil reported an error'}${doc.Code !== undefined ? ` (code ${doc.Code})` : ''}${doc.FailureReason ? `: ${doc.FailureReason}` : ''}` };
      if (doc.Type === 'CommandOutput') return { done: true, phase: 'finished', percent: 100 };
    } catch {
      return null;
    }
    return null;
  }
  const pct = /(\d{1,3}(?:\.\d+)?)\s*%/.exec(t);
  const phase = t.replace(/[[\]]|\(?\d{1,3}(?:\.\d+)?\s*%\)?/g, '').replace(/[:.\s]+$/, '').trim();
  if (/^error\b/i.test(t)) return { error: t.replace(/^error:?\s*/i, '') };
  return { ...(phase ? { phase } : {}), ...(pct ? { percent: Math.min(100, Number(pct[1])) } : {}) };
}

/** The cfgutil backend for the executable at `path`. */
export function cfgutilBackend(path: string, version: string | null): RestoreBackend {
  return {
    name: 'cfgutil',
    path,
    version,
    supports: () => ({ ok: true }),
    argv: (target, op, ipsw) => ['--ecid', ecidHex(target.ecid), '--format', 'JSON', '--progress', op, ...(ipsw ? ['-I', ipsw] : [])],
    parseLine: parseCfgutilLine,
  };
}
