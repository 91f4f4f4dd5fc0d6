/**
 * Setup Assistant editor logic for ADE profiles (`skip_setup_items`): panes per platform, filtered
 * by the minimum OS the admin targets, deprecated / not-always-skippable marks, "skip all" per
 * platform, and the Ivanti conventions applied visibly as implied keys. Apple reference: AppleDocs
 * "SkipKeys"; schema `other/skipkeys.yaml` via the generated catalog (see panes.ts).
 */
import { compareVersions } from '../../profiles/catalog';
import { allSetupPanes, setupPane, SETUP_PLATFORMS, whyNotSkipKey, type PanePlatform, type SetupPane, type SetupPlatform } from './panes';

/**
 * A pane as listed for one platform and minimum OS:
 * - `deprecated`: Apple deprecated the key on this platform (version in `platform.deprecated`);
 * - `deprecatedAtMinimum`: ... at or before the targeted minimum OS;
 * - `notAlwaysSkippable`: Apple's "not always skippable" (pane may show before cloud config);
 * - `introducedAfterMinimum`: only devices newer than the minimum show this pane;
 * - `unverified`: known from one secondary source only.
 */
export interface PaneListing {
  pane: SetupPane;
  platform: SetupPlatform;
  support: PanePlatform;
  deprecated: boolean;
  deprecatedAtMinimum: boolean;
  notAlwaysSkippable: boolean;
  introducedAfterMinimum: boolean;
  unverified: boolean;
}

/** Options of {@link panesForPlatform}: the minimum OS targeted (dotted version) and whether to list unverified keys (default false). */
export interface PaneFilter {
  minimumOs?: string;
  includeUnverified?: boolean;
}

/**
 * Panes that exist on `platform`, sorted by title. With `minimumOs`, keys removed at or before it
 * are left out (no device at or above the minimum shows them); keys introduced later are kept and
 * marked `introducedAfterMinimum`. Throws Error when `minimumOs` is not a dotted version.
 */
export function panesForPlatform(platform: SetupPlatform, filter: PaneFilter = {}): PaneListing[] {
  const min = filter.minimumOs;
  if (min !== undefined && !/^\d+(\.\d+)*$/.test(min)) throw new Error(`minimum ${platform} version "${min}" is not a version such as 17.0`);
  const out: PaneListing[] = [];
  for (const pane of allSetupPanes()) {
    const support = pane.platforms[platform];
    if (!support) continue;
    if (pane.unverified && !filter.includeUnverified) continue;
    if (min && support.removed && compareVersions(support.removed, min) <= 0) continue;
    out.push({
      pane,
      platform,
      support,
      deprecated: support.deprecated !== undefined,
      deprecatedAtMinimum: !!(min && support.deprecated && compareVersions(support.deprecated, min) <= 0),
      notAlwaysSkippable: !support.alwaysSkippable,
      introducedAfterMinimum: !!(min && compareVersions(support.introduced, min) > 0),
      unverified: pane.unverified,
    });
  }
  return out.sort((a, b) => a.pane.title.localeCompare(b.pane.title, 'en') || a.pane.key.localeCompare(b.pane.key, 'en'));
}

/** Minimum OS per platform; a platform absent from the map is listed without a minimum. */
export type MinimumOsByPlatform = Partial<Record<SetupPlatform, string>>;

/** Panes grouped by editor platform (iOS/iPadOS, macOS, tvOS, visionOS), each as {@link panesForPlatform}. */
export function panesByPlatform(minimums: MinimumOsByPlatform = {}, includeUnverified = false): Record<SetupPlatform, PaneListing[]> {
  const out = {} as Record<SetupPlatform, PaneListing[]>;
  for (const os of SETUP_PLATFORMS) out[os] = panesForPlatform(os, { minimumOs: minimums[os], includeUnverified });
  return out;
}

/**
 * "Skip all" for one platform: every verified key listed for it (at the given minimum OS), sorted.
 * Deprecated keys are included (devices on older versions still show those panes).
 */
export function skipAllKeys(platform: SetupPlatform, minimumOs?: string): string[] {
  return panesForPlatform(platform, { minimumOs }).map((l) => l.pane.key).sort((a, b) => a.localeCompare(b, 'en'));
}

/**
 * A convention Ivanti's profile form applies: choosing `trigger` also skips `implies`. Apple does
 * not document these (Biometric and Payment panes need a passcode / an Apple Account), so they are
 * returned as implied keys with the reason, never added silently.
 */
export interface SkipConvention {
  trigger: string;
  implies: string;
  reason: string;
}

/** The seeds' conventions (Ivanti "Device Enrollment" page, Setup Assistant options). */
export const SKIP_CONVENTIONS: readonly SkipConvention[] = [
  { trigger: 'Passcode', implies: 'Biometric', reason: 'skipping Passcode also skips Touch ID / Face ID (Ivanti convention: biometrics need a passcode)' },
  { trigger: 'Passcode', implies: 'Payment', reason: 'skipping Passcode also skips Apple Pay (Ivanti convention: Apple Pay needs a passcode)' },
  { trigger: 'AppleID', implies: 'Payment', reason: 'skipping Apple Account also skips Apple Pay (Ivanti convention: Apple Pay needs an Apple Account)' },
  { trigger: 'Biometric', implies: 'Payment', reason: 'skipping Touch ID also skips Apple Pay (Ivanti convention)' },
];

/** A key added by a convention: which chosen key implied it and why. */
export interface ImpliedSkipKey {
  key: string;
  impliedBy: string;
  reason: string;
}

/** A name that was asked for but will not be emitted, with the reason. */
export interface RejectedSkipKey {
  key: string;
  reason: string;
}

/**
 * Result of {@link resolveSkipItems}: `items` is what goes into `skip_setup_items` (chosen +
 * implied, catalog keys only, sorted, unique); `chosen` the admin's own valid choices; `implied`
 * the keys added by conventions (not already chosen), with reasons; `rejected` names that are not
 * ADE skip keys; `warnings` deprecated / not-always-skippable / unverified notes per key.
 */
export interface ResolvedSkipItems {
  items: string[];
  chosen: string[];
  implied: ImpliedSkipKey[];
  rejected: RejectedSkipKey[];
  warnings: { key: string; message: string }[];
}

/**
 * Turns the admin's chosen keys into `skip_setup_items`. Conventions are applied transitively
 * (Passcode → Biometric → Payment) and reported in `implied`; `applyConventions: false` turns them
 * off. Names that are not ADE skip keys are rejected (never emitted). Never throws.
 */
export function resolveSkipItems(selected: readonly string[], opts: { applyConventions?: boolean } = {}): ResolvedSkipItems {
  const chosen: string[] = [];
  const rejected: RejectedSkipKey[] = [];
  for (const raw of selected) {
    const name = raw.trim();
    const why = whyNotSkipKey(name);
    if (why) {
      if (!rejected.some((r) => r.key === name)) rejected.push({ key: name, reason: why });
    } else if (!chosen.includes(name)) chosen.push(name);
  }
  const implied: ImpliedSkipKey[] = [];
  if (opts.applyConventions !== false) {
    const have = new Set(chosen);
    let added = true;
    while (added) {
      added = false;
      for (const c of SKIP_CONVENTIONS) {
        if (have.has(c.trigger) && !have.has(c.implies) && setupPane(c.implies)) {
          have.add(c.implies);
          implied.push({ key: c.implies, impliedBy: c.trigger, reason: c.reason });
          added = true;
        }
      }
    }
  }
  const items = [...new Set([...chosen, ...implied.map((i) => i.key)])].sort((a, b) => a.localeCompare(b, 'en'));
  return { items, chosen: [...chosen].sort((a, b) => a.localeCompare(b, 'en')), implied, rejected, warnings: skipWarnings(items) };
}

function skipWarnings(items: string[]): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  for (const key of items) {
    const pane = setupPane(key);
    if (!pane) continue;
    if (pane.unverified) out.push({ key, message: `${key} is unverified (${pane.note ?? 'single secondary source'}); devices may ignore it` });
    for (const os of SETUP_PLATFORMS) {
      const p = pane.platforms[os];
      if (!p) continue;
      if (p.deprecated) out.push({ key, message: `${key} is deprecated on ${os} ${p.deprecated}` });
      if (p.removed) out.push({ key, message: `${key} was removed on ${os} ${p.removed}` });
      if (!p.alwaysSkippable) out.push({ key, message: `${key} is not always skippable on ${os}: the pane can appear before the device fetches its cloud configuration` });
    }
  }
  return out;
}
