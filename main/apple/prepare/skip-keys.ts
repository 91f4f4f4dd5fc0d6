/**
 * Setup Assistant skip keys for a cloud configuration's `SkipSetup`, validated against the
 * committed skip-key catalog (`resources/catalog/skipkeys.json`, Apple's `other/skipkeys.yaml`,
 * through main/profiles `skipKeyCatalog()`) for the device's platform (iOS/iPadOS or tvOS).
 */
import { compareVersions, skipKeyCatalog, type SkipKey } from '../../profiles';
import { PrepareInputError } from './errors';
import type { PreparePlatform } from './platform';

/** Resolved skip keys and notes for the operator. */
export interface ResolvedSkipKeys {
  /** Apple key names, sorted, without duplicates. */
  keys: string[];
  /** Keys kept although the device's OS predates them (the device ignores unknown keys). */
  warnings: string[];
}

function usable(k: SkipKey, platform: PreparePlatform): boolean {
  const p = k.platforms[platform];
  return !k.withdrawn && !k.unverified && !!p && p.introduced !== 'n/a';
}

/** Every offered skip key of `platform`, optionally only those present in `osVersion` (introduced at or before it, not removed). */
export function skipKeysFor(platform: PreparePlatform, osVersion?: string): string[] {
  return skipKeyCatalog().keys
    .filter((k) => usable(k, platform))
    .filter((k) => {
      if (!osVersion) return true;
      const p = k.platforms[platform]!;
      if (safeCompare(p.introduced, osVersion) > 0) return false;
      return !(p.removed && safeCompare(p.removed, osVersion) <= 0);
    })
    .map((k) => k.key)
    .sort();
}

function safeCompare(a: string, b: string): number {
  try {
    return compareVersions(a, b);
  } catch {
    return 0;
  }
}

/**
 * Why `name` cannot be sent as a skip key on `platform` (exact Apple name, case-sensitive: unknown,
 * wrong case, not a skip key, withdrawn, unverified, not on this platform), or null when it can.
 */
export function skipKeyProblem(name: string, platform: PreparePlatform): string | null {
  const cat = skipKeyCatalog();
  const k = cat.keys.find((x) => x.key === name);
  if (!k) {
    const not = cat.notSkipKeys.find((n) => n.key === name);
    const caseMatch = cat.keys.find((x) => x.key.toLowerCase() === name.toLowerCase());
    return not ? `"${name}" is ${not.note}` : caseMatch ? `"${name}": Apple's key is "${caseMatch.key}" (case-sensitive)` : `"${name}" is not a Setup Assistant skip key`;
  }
  if (k.withdrawn) return `"${name}" was documented by Apple and then withdrawn; do not send it`;
  if (k.unverified) return `"${name}" is unverified (${k.note ?? 'single secondary source'}); leave it out`;
  if (!usable(k, platform)) return `"${name}" is not a ${platform === 'tvOS' ? 'tvOS' : 'iOS/iPadOS'} skip key`;
  return null;
}

/**
 * Validates `requested` skip keys for `platform` (exact Apple names, case-sensitive) and adds
 * every key of the platform when `skipAll`. Throws PrepareInputError naming every bad key and
 * why (unknown, wrong case, not a skip key, withdrawn, unverified, not on this platform).
 */
export function resolveSkipKeys(requested: readonly string[], skipAll: boolean, platform: PreparePlatform, osVersion?: string): ResolvedSkipKeys {
  const cat = skipKeyCatalog();
  const problems: string[] = [];
  const warnings: string[] = [];
  const keys = new Set<string>(skipAll ? skipKeysFor(platform, osVersion) : []);
  for (const name of requested) {
    const problem = skipKeyProblem(name, platform);
    if (problem) problems.push(problem);
    else {
      const introduced = cat.keys.find((x) => x.key === name)!.platforms[platform]!.introduced;
      if (osVersion && safeCompare(introduced, osVersion) > 0) warnings.push(`${name} exists from ${platform} ${introduced}; this device runs ${osVersion} and ignores it`);
      keys.add(name);
    }
  }
  if (problems.length) {
    throw new PrepareInputError(`invalid skip keys: ${problems.join('; ')}. Valid ${platform === 'tvOS' ? 'tvOS' : 'iOS/iPadOS'} keys: ${skipKeysFor(platform).join(', ')}`);
  }
  return { keys: [...keys].sort(), warnings };
}
