/**
 * Shapes of the generated payload catalog (`resources/catalog/payloads.json`) and skip-key catalog
 * (`resources/catalog/skipkeys.json`). Both are produced by `scripts/generate-catalogs.ts` from
 * Apple's device-management schema YAML (github.com/apple/device-management, MIT; see
 * `resources/catalog/LICENSE-apple-device-management.txt`). Field names follow Apple's schema
 * (`docs/schema.md` of that repository): `supportedOS`, `introduced`, `presence`, `rangelist`, ...
 */

/** Apple's OS names as used in the schema's `supportedOS` blocks. */
export type AppleOS = 'iOS' | 'macOS' | 'tvOS' | 'visionOS' | 'watchOS';

/** Every OS name in schema order. */
export const APPLE_OSES: readonly AppleOS[] = ['iOS', 'macOS', 'tvOS', 'visionOS', 'watchOS'];

/** A `mode` block (`userenrollment`, `sharedipad`): `allowed | required | forbidden | ignored`. */
export interface ModeBlock {
  mode?: string;
  devicechannel?: boolean;
  userchannel?: boolean;
}

/**
 * Per-OS support of a payload or key after inheritance (schema `supportedOS.<OS>`). `introduced`
 * is a version string such as `'10.13.4'`, or `'n/a'` when the OS does not support the item.
 * `deprecated`/`removed` are version strings when present.
 */
export interface OsSupport {
  introduced: string;
  deprecated?: string;
  removed?: string;
  multiple?: boolean;
  supervised?: boolean;
  allowmanualinstall?: boolean;
  devicechannel?: boolean;
  userchannel?: boolean;
  requiresdep?: boolean;
  userapprovedmdm?: boolean;
  sharedipad?: ModeBlock;
  userenrollment?: ModeBlock;
}

/** Resolved support per OS; an OS absent from the map is not supported. */
export type SupportedOS = Partial<Record<AppleOS, OsSupport>>;

/** Apple schema value types, without the angle brackets of the YAML (`<real>` → `real`). */
export type SchemaType = 'string' | 'integer' | 'real' | 'boolean' | 'date' | 'data' | 'array' | 'dictionary' | 'any';

/**
 * One key of a payload (schema `payloadkeys[]` entry), or one subkey. `supportedOS` is resolved:
 * the key inherits its parent's support and overrides only the fields it names.
 * `key: 'ANY'` in a dictionary's subkeys means arbitrary key names.
 */
export interface CatalogKey {
  key: string;
  title?: string;
  type: SchemaType;
  /** Schema `presence`; absent means optional. */
  presence?: 'required' | 'optional';
  default?: unknown;
  /** Allowed values (schema `rangelist`). */
  rangelist?: unknown[];
  /** Inclusive numeric range (schema `range`). */
  range?: { min?: number; max?: number };
  /** Regular expression (schema `format`), ECMAScript-compatible. */
  format?: string;
  /** Schema `subtype` / `valuetype` hint such as `<url>`, without brackets. */
  subtype?: string;
  /** Schema `repetition` (array length bounds). */
  repetition?: { min?: number; max?: number };
  supportedOS: SupportedOS;
  subkeys?: CatalogKey[];
  /**
   * Set instead of `subkeys` where Apple's schema is recursive: this key's subkeys are those of
   * the nearest enclosing key with this name (e.g. home-screen folders holding pages of icons).
   */
  subkeysOf?: string;
}

/** One payload type of the catalog. `files` names the schema YAML files merged into it. */
export interface CatalogPayload {
  payloadType: string;
  title: string;
  description: string;
  files: string[];
  supportedOS: SupportedOS;
  keys: CatalogKey[];
}

/** Where the catalog came from: Apple repository, branch (from PROVENANCE.md), licence file. */
export interface CatalogSource {
  repository: string;
  branch: string;
  license: string;
}

/** The whole payload catalog. `payloads` is keyed by PayloadType, sorted. */
export interface PayloadCatalog {
  source: CatalogSource;
  topLevel: CatalogPayload;
  common: CatalogPayload;
  payloads: Record<string, CatalogPayload>;
}

/** Per-OS availability of a Setup Assistant skip key. */
export interface SkipKeyPlatform {
  introduced: string;
  deprecated?: string;
  removed?: string;
  /** Apple's `always-skippable`; false = "not always skippable". */
  alwaysSkippable?: boolean;
}

/**
 * One ADE Setup Assistant skip key (Apple schema `other/skipkeys.yaml`, plus rows documented after
 * the 18.2 branch). `withdrawn` keys must not be offered; `unverified` keys only as unverified.
 */
export interface SkipKey {
  key: string;
  title: string;
  description: string;
  platforms: Partial<Record<AppleOS, SkipKeyPlatform>>;
  origin: 'skipkeys.yaml' | 'SKIPKEYS-SINCE-18.2.md';
  note?: string;
  withdrawn?: boolean;
  unverified?: boolean;
}

/** The skip-key catalog. `notSkipKeys` lists names that look like skip keys but are rejected. */
export interface SkipKeyCatalog {
  source: CatalogSource & { supplement: string };
  keys: SkipKey[];
  notSkipKeys: { key: string; note: string }[];
}
