/**
 * Placeholders of blueprints:
 *  - device-name patterns: `{serial}` (lockdownd SerialNumber), `{udid}`, `{ecid}` (UniqueChipID,
 *    upper-case hex), `{model}` (DeviceClass: iPhone, iPad, AppleTV), `{productType}` (e.g.
 *    iPhone15,2), `{counter}` (a number the blueprint hands out, one per device: counterStart,
 *    counterStart + 1, …) and `{counter:N}` (zero-padded to N digits, 1 ≤ N ≤ 9);
 *  - enrollment-profile templates: `{serial}`, `{udid}`, `{ecid}` in any string field, so each
 *    device gets its own profile (e.g. SCEP subject `/CN={serial}`), rebuilt and signed per device.
 * Unknown tokens are input errors; a value the device did not report is an apply-time error.
 */

/** Facts a placeholder can take its value from. */
export interface PlaceholderValues {
  serial?: string;
  udid?: string;
  /** ECID as a decimal string (lockdownd UniqueChipID). */
  ecid?: string;
  model?: string;
  productType?: string;
  counter?: number;
}

/** Tokens allowed in device-name patterns. */
export const NAME_TOKENS = ['serial', 'udid', 'ecid', 'model', 'productType', 'counter'] as const;
/** Tokens allowed in enrollment-profile templates. */
export const TEMPLATE_TOKENS = ['serial', 'udid', 'ecid'] as const;

const TOKEN = /\{([A-Za-z]+)(?::(\d+))?\}/g;

/**
 * Problems of `text` as a pattern allowing `allowed` tokens (empty when fine): unknown tokens,
 * padding on anything but counter, padding outside 1–9, stray braces.
 */
export function patternProblems(text: string, allowed: readonly string[]): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const [whole, name, pad] = m;
    if (!allowed.includes(name)) problems.push(`unknown placeholder ${whole} (allowed: ${allowed.map((t) => `{${t}}`).join(', ')})`);
    else if (pad !== undefined && name !== 'counter') problems.push(`${whole}: only {counter:N} takes a width`);
    else if (pad !== undefined && (Number(pad) < 1 || Number(pad) > 9)) problems.push(`${whole}: the width must be 1–9 digits`);
  }
  if (/[{}]/.test(text.replace(TOKEN, ''))) problems.push(`unbalanced "{" or "}" in "${text}"`);
  return problems;
}

/** True when `text` holds at least one placeholder. */
export function hasPlaceholders(text: string): boolean {
  return new RegExp(TOKEN.source).test(text);
}

/** True when `text` uses `{counter}` / `{counter:N}`. */
export function usesCounter(text: string): boolean {
  return /\{counter(?::\d+)?\}/.test(text);
}

/**
 * Replaces every placeholder of `text` with its value. Throws Error naming the placeholder when
 * the device did not report the value (e.g. no SerialNumber) or the token is unknown.
 */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(TOKEN, (whole, name: string, pad: string | undefined) => {
    let v: string | undefined;
    switch (name) {
      case 'serial': v = values.serial; break;
      case 'udid': v = values.udid; break;
      case 'ecid': v = values.ecid === undefined ? undefined : BigInt(values.ecid).toString(16).toUpperCase(); break;
      case 'model': v = values.model; break;
      case 'productType': v = values.productType; break;
      case 'counter': v = values.counter === undefined ? undefined : String(values.counter).padStart(pad ? Number(pad) : 0, '0'); break;
      default: throw new Error(`unknown placeholder ${whole}`);
    }
    if (v === undefined || v === '') throw new Error(`${whole} has no value: the device did not report it`);
    return v;
  });
}
