/**
 * Setup Assistant panes an ADE profile can skip, read from the committed skip-key catalog
 * (`resources/catalog/skipkeys.json`, generated from Apple's `other/skipkeys.yaml` plus
 * `SKIPKEYS-SINCE-18.2.md` by `scripts/generate-catalogs.ts`). Apple reference: AppleDocs
 * "SkipKeys" (devicemanagement/skipkeys); ADE profile key `skip_setup_items`.
 */
import { compareVersions, skipKeyCatalog, type SkipKey } from '../../profiles/catalog';

/** Platforms of the Setup Assistant editor. `iOS` covers iOS and iPadOS (Apple's schema does not split them). */
export type SetupPlatform = 'iOS' | 'macOS' | 'tvOS' | 'visionOS';

/** Editor platforms in display order. */
export const SETUP_PLATFORMS: readonly SetupPlatform[] = ['iOS', 'macOS', 'tvOS', 'visionOS'];

/** Display names of the editor platforms. */
export const SETUP_PLATFORM_LABELS: Readonly<Record<SetupPlatform, string>> = {
  iOS: 'iOS/iPadOS',
  macOS: 'macOS',
  tvOS: 'tvOS',
  visionOS: 'visionOS',
};

/**
 * Availability of a pane on one platform. Versions are dotted strings (`'10.13.4'`).
 * `alwaysSkippable: false` = Apple's "not always skippable": the pane can appear before the device
 * has fetched its cloud configuration, so skipping it is best-effort.
 */
export interface PanePlatform {
  introduced: string;
  deprecated?: string;
  removed?: string;
  alwaysSkippable: boolean;
}

/**
 * One skip key as the editor shows it: Apple's key name, title and description, the platforms it
 * exists on, and whether it is only known from one secondary source (`unverified`).
 */
export interface SetupPane {
  key: string;
  title: string;
  description: string;
  platforms: Partial<Record<SetupPlatform, PanePlatform>>;
  unverified: boolean;
  note?: string;
  origin: SkipKey['origin'];
}

function toPane(k: SkipKey): SetupPane {
  const platforms: SetupPane['platforms'] = {};
  for (const os of SETUP_PLATFORMS) {
    const p = k.platforms[os];
    if (!p || p.introduced === 'n/a') continue;
    platforms[os] = {
      introduced: p.introduced,
      ...(p.deprecated ? { deprecated: p.deprecated } : {}),
      ...(p.removed ? { removed: p.removed } : {}),
      alwaysSkippable: p.alwaysSkippable !== false,
    };
  }
  return {
    key: k.key,
    title: k.title,
    description: k.description,
    platforms,
    unverified: k.unverified === true,
    ...(k.note ? { note: k.note } : {}),
    origin: k.origin,
  };
}

let cache: SetupPane[] | undefined;

/**
 * Every ADE skip key of the catalog except withdrawn ones (Apple errata: AgeAssurance,
 * AgeBasedSafetySettings), sorted by key. Unverified keys are included and flagged. Returned
 * objects are shared: do not mutate.
 */
export function allSetupPanes(): readonly SetupPane[] {
  cache ??= skipKeyCatalog().keys.filter((k) => !k.withdrawn).map(toPane);
  return cache;
}

/** The pane for `key` (exact, case-sensitive Apple name), or undefined when it is not an offered skip key. */
export function setupPane(key: string): SetupPane | undefined {
  return allSetupPanes().find((p) => p.key === key);
}

/**
 * Why `name` is not a skip key to emit, or undefined when it is one. Covers names that look like
 * skip keys but are not (`CloudStorage` → use `iCloudStorage`, `WiFi`, `Language`, ...), withdrawn
 * keys, case mistakes (`appleid` → `AppleID`) and unknown names.
 */
export function whyNotSkipKey(name: string): string | undefined {
  if (setupPane(name)) return undefined;
  const cat = skipKeyCatalog();
  const not = cat.notSkipKeys.find((n) => n.key === name);
  if (not) return `"${name}" is ${not.note}`;
  const withdrawn = cat.keys.find((k) => k.key === name && k.withdrawn);
  if (withdrawn) return `"${name}" was documented by Apple and then withdrawn; do not send it`;
  const caseMatch = allSetupPanes().find((p) => p.key.toLowerCase() === name.toLowerCase());
  if (caseMatch) return `"${name}" is not a skip key; Apple's key is "${caseMatch.key}" (case-sensitive)`;
  return `"${name}" is not an ADE skip key (Apple's SkipKeys list); choose one from the Setup Assistant list`;
}

/** True when `version` is at or after `since` (dotted numbers). */
export function versionAtLeast(version: string, since: string): boolean {
  return compareVersions(version, since) >= 0;
}
