/**
 * The New-blueprint dialog's editable steps: one draft per action type of main/blueprints/schema.ts,
 * their checks before saving (only what the form itself must know — the service validates the
 * rest), the conversion to `blueprints:create` `actions`, and the mapping of the service's
 * `actions.N …: message` issue lines back to step N.
 */
import type { BlueprintActionInput } from '../../../../main/ipc/contract-blueprints';

/** Action types the dialog offers, in the order of the "Add step" buttons. */
export const STEP_TYPES = ['wifi', 'enrollment-profile', 'install-profile', 'prepare', 'device-name', 'locale', 'erase'] as const;
/** An action type. */
export type StepType = (typeof STEP_TYPES)[number];

/** Titles of the step types. */
export const STEP_TITLES: Record<StepType, string> = {
  wifi: 'Wi-Fi network',
  'enrollment-profile': 'Enrollment profile',
  'install-profile': 'Other profile',
  prepare: 'Prepare',
  'device-name': 'Device name',
  locale: 'Language & time zone',
  erase: 'Erase',
};

/** One step being edited. `key` is stable across reordering (React key). */
export type StepDraft = { key: number } & (
  | { type: 'wifi'; ssid: string; password: string }
  | { type: 'enrollment-profile'; profileId: string }
  | { type: 'install-profile'; profileId: string }
  | { type: 'prepare'; mode: 'manual' | 'ade'; supervised: boolean; organizationId: string; skip: 'none' | 'all' | 'some'; skipKeys: string[] }
  | { type: 'device-name'; pattern: string }
  | { type: 'locale'; language: string; region: string; timeZone: string }
  | { type: 'erase'; confirmed: boolean }
);

let nextKey = 1;

/** A new empty draft of `type`. */
export function newDraft(type: StepType): StepDraft {
  const key = nextKey++;
  switch (type) {
    case 'wifi':
      return { key, type, ssid: '', password: '' };
    case 'enrollment-profile':
    case 'install-profile':
      return { key, type, profileId: '' };
    case 'prepare':
      return { key, type, mode: 'manual', supervised: true, organizationId: '', skip: 'all', skipKeys: [] };
    case 'device-name':
      return { key, type, pattern: '' };
    case 'locale':
      return { key, type, language: '', region: '', timeZone: '' };
    case 'erase':
      return { key, type, confirmed: false };
  }
}

/** What the form itself refuses in `d` (empty required fields, the erase confirmation), or null. */
export function draftProblem(d: StepDraft): string | null {
  switch (d.type) {
    case 'wifi':
      return d.ssid.trim() ? null : 'enter the network name (SSID)';
    case 'enrollment-profile':
    case 'install-profile':
      return d.profileId ? null : 'choose a profile, or remove this step';
    case 'prepare':
      if (d.mode === 'manual' && d.supervised && !d.organizationId) return 'choose the organization that supervises the devices';
      if (d.mode === 'manual' && d.skip === 'some' && d.skipKeys.length === 0) return 'choose the panes to skip, or pick another option';
      return null;
    case 'device-name':
      return d.pattern.trim() ? null : 'enter a name pattern, or remove this step';
    case 'locale':
      return d.language.trim() || d.region.trim() || d.timeZone ? null : 'choose a language, a region or a time zone';
    case 'erase':
      return d.confirmed ? null : 'confirm that every device this blueprint runs on is erased';
  }
}

/** `d` as a `blueprints:create` action. */
export function actionOf(d: StepDraft): BlueprintActionInput {
  switch (d.type) {
    case 'wifi':
      return { type: 'wifi', ssid: d.ssid.trim(), ...(d.password ? { password: d.password, encryption: 'WPA2' as const } : { encryption: 'None' as const }) };
    case 'enrollment-profile':
    case 'install-profile':
      return { type: d.type, profileId: d.profileId };
    case 'prepare':
      if (d.mode === 'ade') return { type: 'prepare', ade: true };
      return {
        type: 'prepare',
        supervised: d.supervised,
        ...(d.supervised && d.organizationId ? { organizationId: d.organizationId } : {}),
        ...(d.skip === 'all' ? { skipSetup: 'all' as const } : d.skip === 'some' ? { skipSetup: d.skipKeys } : {}),
      };
    case 'device-name':
      return { type: 'device-name', pattern: d.pattern.trim() };
    case 'locale':
      return {
        type: 'locale',
        ...(d.language.trim() ? { language: d.language.trim() } : {}),
        ...(d.region.trim() ? { region: d.region.trim() } : {}),
        ...(d.timeZone ? { timeZone: d.timeZone } : {}),
      };
    case 'erase':
      return { type: 'erase' };
  }
}

/** Service issues split by step: `steps[i]` for lines about `actions.i`, `general` for the rest. */
export interface SplitIssues {
  steps: Record<number, string[]>;
  general: string[];
}

const STEP_ISSUE = /^actions\.(\d+)(?:\.[\w.]+)?(?: \([\w-]+\))?: (.*)$/;

/**
 * Splits the message of a failed `blueprints:create` (`invalid blueprint:` then one issue per line,
 * main/ipc/handlers-blueprints.ts) into per-step and general issues. Other messages are general.
 */
export function splitIssues(message: string): SplitIssues {
  const out: SplitIssues = { steps: {}, general: [] };
  const lines = message.split('\n');
  if (lines[0] !== 'invalid blueprint:') return { steps: {}, general: [message] };
  for (const line of lines.slice(1)) {
    const m = STEP_ISSUE.exec(line);
    if (m) (out.steps[Number(m[1])] ??= []).push(m[2]);
    else if (line.trim()) out.general.push(line);
  }
  return out;
}

/** Moves item `i` of `list` by `delta` (−1 up, +1 down); returns a new array. */
export function moveItem<T>(list: readonly T[], i: number, delta: -1 | 1): T[] {
  const j = i + delta;
  if (j < 0 || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

/** Common Setup Assistant languages (ISO 639 with script/region where iOS uses one). */
export const LANGUAGES = [
  'en', 'en-GB', 'en-AU', 'de', 'fr', 'fr-CA', 'es', 'es-419', 'it', 'nl', 'pt-BR', 'pt-PT', 'sv', 'da', 'fi', 'nb', 'pl', 'cs', 'hu', 'ro', 'ru', 'uk', 'tr', 'el',
  'ar', 'he', 'hi', 'th', 'vi', 'id', 'ms', 'ja', 'ko', 'zh-Hans', 'zh-Hant', 'zh-HK',
];

/** A readable name of language code `code` ("de" → "German"), or the code itself. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The IANA time zones the renderer's ICU knows, plus UTC. */
export function timeZones(): string[] {
  try {
    const zones = Intl.supportedValuesOf('timeZone');
    return zones.includes('UTC') ? zones : ['UTC', ...zones];
  } catch {
    return ['UTC'];
  }
}
