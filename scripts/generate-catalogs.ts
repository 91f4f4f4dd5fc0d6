/**
 * Generates the committed catalogs under `resources/catalog/` from Apple's device-management
 * schema (github.com/apple/device-management, MIT), found at `../shared/apple-device-management`
 * relative to the repository root (CI clones the repo with `../shared` beside it):
 *
 * - `payloads.json` — every configuration-profile payload (`mdm/profiles/*.yaml`) plus
 *   `TopLevel.yaml` and `CommonPayloadKeys.yaml`, keys with type, presence, default, rangelist,
 *   range, format, subkeys and per-key `supportedOS` resolved by inheritance (a key inherits its
 *   parent's `supportedOS` and overrides only the fields it names; `introduced: n/a` = unsupported);
 * - `skipkeys.json` — ADE Setup Assistant skip keys (`other/skipkeys.yaml`) merged with the rows of
 *   `SKIPKEYS-SINCE-18.2.md`;
 * - `LICENSE-apple-device-management.txt` — Apple's MIT notice, copied from `LICENSE.txt`.
 *
 * Output is deterministic (payload types and object fields sorted; key order as in Apple's YAML),
 * so regenerating yields identical bytes. Usage: `npm run catalog [-- --source DIR] [--check]`.
 * `--check` compares instead of writing and exits 1 on a difference.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  APPLE_OSES,
  type AppleOS,
  type CatalogKey,
  type CatalogPayload,
  type CatalogSource,
  type OsSupport,
  type PayloadCatalog,
  type SchemaType,
  type SkipKey,
  type SkipKeyCatalog,
  type SkipKeyPlatform,
  type SupportedOS,
} from '../main/profiles/catalog-types';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Default schema folder: `<repo>/../shared/apple-device-management`. */
export const DEFAULT_SOURCE_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'apple-device-management');
/** Output folder: `<repo>/resources/catalog`. */
export const CATALOG_DIR = path.join(REPO_ROOT, 'resources', 'catalog');

const SCHEMA_TYPES: ReadonlySet<string> = new Set(['string', 'integer', 'real', 'boolean', 'date', 'data', 'array', 'dictionary', 'any']);
const VERSION_FIELDS = ['introduced', 'deprecated', 'removed'] as const;
const MODE_FIELDS = ['sharedipad', 'userenrollment'] as const;

type Raw = Record<string, unknown>;

function isRaw(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(file: string, message: string): never {
  throw new Error(`${file}: ${message}`);
}

/** Normalises one raw `supportedOS.<OS>` block: versions as strings, kebab keys kept as-is. */
function normaliseOsBlock(raw: unknown, file: string): Raw {
  if (raw === null || raw === undefined) return {};
  if (!isRaw(raw)) fail(file, `supportedOS entry is not a mapping: ${JSON.stringify(raw)}`);
  const out: Raw = {};
  for (const [k, v] of Object.entries(raw)) {
    if ((VERSION_FIELDS as readonly string[]).includes(k)) out[k] = String(v);
    else if ((MODE_FIELDS as readonly string[]).includes(k) && isRaw(v)) out[k] = { ...v };
    else out[k] = v;
  }
  return out;
}

/**
 * Applies a child's raw `supportedOS` over its parent's resolved support: each OS block inherits
 * the parent's fields, the child's named fields win (mode blocks merged field by field). An OS the
 * parent lacks and the child names without `introduced` is unsupported (`n/a`).
 */
export function resolveSupportedOS(parent: SupportedOS, own: unknown, file: string): SupportedOS {
  if (own !== undefined && own !== null && !isRaw(own)) fail(file, 'supportedOS is not a mapping');
  const ownMap = (own ?? {}) as Raw;
  for (const os of Object.keys(ownMap)) {
    if (!(APPLE_OSES as readonly string[]).includes(os)) fail(file, `unknown OS "${os}" in supportedOS`);
  }
  const out: SupportedOS = {};
  for (const os of APPLE_OSES) {
    const base = parent[os];
    const child = os in ownMap ? normaliseOsBlock(ownMap[os], file) : undefined;
    if (!base && !child) continue;
    const merged: Raw = { ...(base ?? {}) };
    for (const [k, v] of Object.entries(child ?? {})) {
      merged[k] = (MODE_FIELDS as readonly string[]).includes(k) && isRaw(v) && isRaw(merged[k]) ? { ...(merged[k] as Raw), ...v } : v;
    }
    if (typeof merged.introduced !== 'string') merged.introduced = 'n/a';
    out[os] = merged as unknown as OsSupport;
  }
  return out;
}

function schemaType(raw: unknown, file: string, key: string): SchemaType {
  const t = typeof raw === 'string' ? raw.replace(/^<|>$/g, '') : '';
  if (!SCHEMA_TYPES.has(t)) fail(file, `key "${key}" has unknown type ${JSON.stringify(raw)}`);
  return t as SchemaType;
}

function bounds(raw: unknown): { min?: number; max?: number } | undefined {
  if (!isRaw(raw)) return undefined;
  const out: { min?: number; max?: number } = {};
  if (typeof raw.min === 'number') out.min = raw.min;
  if (typeof raw.max === 'number') out.max = raw.max;
  return Object.keys(out).length ? out : undefined;
}

/** Converts one raw `payloadkeys[]`/`subkeys[]` entry (recursively) into a CatalogKey. */
function convertKey(raw: unknown, parentOS: SupportedOS, file: string, ancestors: unknown[] = []): CatalogKey {
  if (!isRaw(raw) || typeof raw.key !== 'string') fail(file, `payload key entry without "key": ${JSON.stringify(raw)?.slice(0, 80)}`);
  const name = raw.key;
  const supportedOS = resolveSupportedOS(parentOS, raw.supportedOS, `${file} key ${name}`);
  // `multiple` (several payloads of a type per profile) is payload-level only.
  for (const os of APPLE_OSES) if (supportedOS[os]) delete supportedOS[os]!.multiple;
  const key: CatalogKey = { key: name, type: schemaType(raw.type, file, name), supportedOS };
  if (typeof raw.title === 'string') key.title = raw.title;
  if (raw.presence === 'required' || raw.presence === 'optional') key.presence = raw.presence;
  if (raw.default !== undefined && raw.default !== null) key.default = raw.default;
  if (Array.isArray(raw.rangelist)) key.rangelist = raw.rangelist;
  const range = bounds(raw.range);
  if (range) key.range = range;
  if (typeof raw.format === 'string') key.format = raw.format;
  const subtype = raw.subtype ?? raw.valuetype;
  if (typeof subtype === 'string') key.subtype = subtype.replace(/^<|>$/g, '');
  const repetition = bounds(raw.repetition);
  if (repetition) key.repetition = repetition;
  if (Array.isArray(raw.subkeys)) {
    // Recursive schema (YAML alias back to an ancestor, e.g. home-screen folders): point at it.
    const loop = ancestors.findIndex((a) => isRaw(a) && a.subkeys === raw.subkeys);
    if (loop >= 0) key.subkeysOf = (ancestors[loop] as Raw).key as string;
    else key.subkeys = raw.subkeys.map((s) => convertKey(s, supportedOS, file, [...ancestors, raw]));
  }
  return key;
}

interface RawSchemaFile {
  file: string;
  doc: Raw;
}

function readYaml(file: string): Raw {
  const doc: unknown = parseYaml(fs.readFileSync(file, 'utf8'), { maxAliasCount: 10000 });
  if (!isRaw(doc)) fail(file, 'top level is not a mapping');
  return doc;
}

function convertPayload(files: RawSchemaFile[]): CatalogPayload {
  const first = files[0];
  const payload = first.doc.payload;
  if (!isRaw(payload) || typeof payload.payloadtype !== 'string') fail(first.file, 'missing payload.payloadtype');
  const supportedOS = resolveSupportedOS({}, payload.supportedOS, first.file);
  const keys: CatalogKey[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const list = f.doc.payloadkeys;
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) fail(f.file, 'payloadkeys is not a list');
    const fileOS = f === first ? supportedOS : resolveSupportedOS({}, (f.doc.payload as Raw).supportedOS, f.file);
    for (const raw of list) {
      const key = convertKey(raw, fileOS, f.file);
      if (seen.has(key.key)) continue;
      seen.add(key.key);
      keys.push(key);
    }
  }
  return {
    payloadType: payload.payloadtype,
    title: typeof first.doc.title === 'string' ? first.doc.title : payload.payloadtype,
    description: typeof first.doc.description === 'string' ? first.doc.description : '',
    files: files.map((f) => path.basename(f.file)),
    supportedOS,
    keys,
  };
}

/** Reads the branch name from PROVENANCE.md (the first back-quoted name after "branch"). */
export function readSource(sourceDir: string): CatalogSource {
  const text = fs.readFileSync(path.join(sourceDir, 'PROVENANCE.md'), 'utf8');
  const m = /branch\s*`([^`]+)`/.exec(text);
  if (!m) fail(path.join(sourceDir, 'PROVENANCE.md'), 'no "branch `NAME`" found');
  return { repository: 'https://github.com/apple/device-management', branch: m[1], license: 'MIT (LICENSE-apple-device-management.txt)' };
}

/** Builds the payload catalog object from the schema folder. Throws on malformed YAML. */
export function buildPayloadCatalog(sourceDir: string): PayloadCatalog {
  const profilesDir = path.join(sourceDir, 'mdm', 'profiles');
  const names = fs.readdirSync(profilesDir).filter((n) => n.endsWith('.yaml')).sort();
  const byType = new Map<string, RawSchemaFile[]>();
  let topLevel: CatalogPayload | undefined;
  let common: CatalogPayload | undefined;
  for (const name of names) {
    const file = path.join(profilesDir, name);
    const doc = readYaml(file);
    if (name === 'TopLevel.yaml') topLevel = convertPayload([{ file, doc }]);
    else if (name === 'CommonPayloadKeys.yaml') common = convertPayload([{ file, doc }]);
    else {
      const type = isRaw(doc.payload) ? doc.payload.payloadtype : undefined;
      if (typeof type !== 'string') fail(file, 'missing payload.payloadtype');
      const list = byType.get(type) ?? [];
      list.push({ file, doc });
      byType.set(type, list);
    }
  }
  if (!topLevel || !common) throw new Error(`${profilesDir}: TopLevel.yaml and CommonPayloadKeys.yaml are required`);
  const payloads: Record<string, CatalogPayload> = {};
  for (const type of [...byType.keys()].sort()) {
    // The file named exactly after the type (if any) is primary: its title and supportedOS win.
    const files = byType.get(type)!.sort((a, b) => {
      const pa = path.basename(a.file) === `${type}.yaml` ? 0 : 1;
      const pb = path.basename(b.file) === `${type}.yaml` ? 0 : 1;
      return pa - pb || a.file.localeCompare(b.file);
    });
    payloads[type] = convertPayload(files);
  }
  return { source: readSource(sourceDir), topLevel, common, payloads };
}

function splitCells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

const MD_OS_COLUMNS: Record<string, AppleOS> = { 'iOS/iPadOS': 'iOS', iOS: 'iOS', macOS: 'macOS', tvOS: 'tvOS', visionOS: 'visionOS', watchOS: 'watchOS' };

/** Parses one OS cell of SKIPKEYS-SINCE-18.2.md: `-`, `18.4 (NAS)`, `14.1, removed in 26`, `26`. */
function parseMdCell(cell: string): SkipKeyPlatform | undefined {
  if (cell === '') return undefined;
  if (cell === '-') return { introduced: 'n/a' };
  const m = /^(\d+(?:\.\d+)*)\s*(\(NAS\))?\s*(?:,\s*removed in\s+(\d+(?:\.\d+)*))?$/.exec(cell);
  if (!m) throw new Error(`SKIPKEYS-SINCE-18.2.md: cannot read OS cell "${cell}"`);
  const p: SkipKeyPlatform = { introduced: m[1] };
  if (m[2]) p.alwaysSkippable = false;
  if (m[3]) p.removed = m[3];
  return p;
}

function toPlatform(s: OsSupport & { 'always-skippable'?: boolean }): SkipKeyPlatform {
  const p: SkipKeyPlatform = { introduced: s.introduced };
  if (s.deprecated) p.deprecated = s.deprecated;
  if (s.removed) p.removed = s.removed;
  if (typeof s['always-skippable'] === 'boolean') p.alwaysSkippable = s['always-skippable'];
  return p;
}

/** Builds the skip-key catalog: `other/skipkeys.yaml` with SKIPKEYS-SINCE-18.2.md merged on top. */
export function buildSkipKeyCatalog(sourceDir: string): SkipKeyCatalog {
  const file = path.join(sourceDir, 'other', 'skipkeys.yaml');
  const doc = readYaml(file);
  const payload = doc.payload as Raw;
  const baseOS = resolveSupportedOS({}, payload.supportedOS, file);
  const keys = new Map<string, SkipKey>();
  for (const raw of doc.payloadkeys as unknown[]) {
    if (!isRaw(raw) || typeof raw.key !== 'string') fail(file, 'skip key without "key"');
    const resolved = resolveSupportedOS(baseOS, raw.supportedOS, `${file} key ${raw.key}`);
    const platforms: SkipKey['platforms'] = {};
    for (const os of APPLE_OSES) if (resolved[os]) platforms[os] = toPlatform(resolved[os]!);
    keys.set(raw.key, {
      key: raw.key,
      title: typeof raw.title === 'string' ? raw.title : raw.key,
      description: typeof raw.content === 'string' ? raw.content : '',
      platforms,
      origin: 'skipkeys.yaml',
    });
  }

  const mdFile = path.join(sourceDir, 'SKIPKEYS-SINCE-18.2.md');
  const md = fs.readFileSync(mdFile, 'utf8');
  const lines = md.split('\n');
  const headerIdx = lines.findIndex((l) => /^\|\s*Key\s*\|/.test(l));
  if (headerIdx < 0) fail(mdFile, 'no "| Key |" table found');
  const header = splitCells(lines[headerIdx]);
  for (let i = headerIdx + 2; i < lines.length && lines[i].trim().startsWith('|'); i++) {
    const cells = splitCells(lines[i]);
    const names = cells[0].split(',').map((s) => s.trim()).filter(Boolean);
    const note = cells[header.indexOf('Note')] ?? '';
    const withdrawn = /withdrawn|do not offer/i.test(note) && header.every((h, idx) => !MD_OS_COLUMNS[h] || cells[idx] === '');
    for (const name of names) {
      const entry: SkipKey = keys.get(name) ?? {
        key: name,
        title: name,
        description: `Skip key documented after the ${'18.2'} schema branch (SKIPKEYS-SINCE-18.2.md).`,
        platforms: {},
        origin: 'SKIPKEYS-SINCE-18.2.md',
      };
      header.forEach((h, idx) => {
        const os = MD_OS_COLUMNS[h];
        if (!os) return;
        const p = parseMdCell(cells[idx] ?? '');
        if (p) entry.platforms[os] = { ...(entry.platforms[os] ?? {}), ...p };
      });
      if (note) entry.note = note;
      if (withdrawn) entry.withdrawn = true;
      keys.set(name, entry);
    }
  }
  // Prose sections: "Not skip keys at all ..." and "Unverified ..." paragraphs list back-quoted names.
  const paragraphs = md.split(/\n\s*\n/);
  const notSkipKeys: { key: string; note: string }[] = [];
  for (const para of paragraphs) {
    const flat = para.replace(/\s+/g, ' ').trim();
    if (/^Not skip keys at all/i.test(flat)) {
      for (const m of flat.matchAll(/`([A-Za-z]+)`(\s*\(use `([A-Za-z]+)`\))?/g)) {
        notSkipKeys.push({ key: m[1], note: m[3] ? `not a skip key; use ${m[3]}` : 'not a skip key; rejected by or meaningless to the ADE profile API' });
      }
    } else if (/^Unverified/i.test(flat)) {
      for (const m of flat.matchAll(/`([A-Za-z]+)`\s*\(([^)]*)\)/g)) {
        const entry: SkipKey = keys.get(m[1]) ?? { key: m[1], title: m[1], description: 'Unverified skip key (single secondary source).', platforms: {}, origin: 'SKIPKEYS-SINCE-18.2.md' };
        entry.unverified = true;
        entry.note = `unverified: ${m[2]}`;
        keys.set(m[1], entry);
      }
    }
  }
  return {
    source: { ...readSource(sourceDir), supplement: 'SKIPKEYS-SINCE-18.2.md' },
    keys: [...keys.values()].sort((a, b) => a.key.localeCompare(b.key, 'en')),
    notSkipKeys: notSkipKeys.sort((a, b) => a.key.localeCompare(b.key, 'en')),
  };
}

/** JSON with object fields sorted recursively (arrays keep their order), two-space indent, final newline. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (isRaw(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]));
    return v;
  };
  return `${JSON.stringify(sort(value), null, 1)}\n`;
}

/** All catalog files as `{ fileName: bytes }`, ready to compare or write to `resources/catalog/`. */
export function generateCatalogFiles(sourceDir = DEFAULT_SOURCE_DIR): Record<string, Buffer> {
  if (!fs.existsSync(path.join(sourceDir, 'mdm', 'profiles'))) {
    throw new Error(`Apple schema not found at ${sourceDir}: clone the shared folder beside the repository (../shared/apple-device-management) or pass --source DIR.`);
  }
  return {
    'payloads.json': Buffer.from(stableJson(buildPayloadCatalog(sourceDir)), 'utf8'),
    'skipkeys.json': Buffer.from(stableJson(buildSkipKeyCatalog(sourceDir)), 'utf8'),
    'LICENSE-apple-device-management.txt': fs.readFileSync(path.join(sourceDir, 'LICENSE.txt')),
  };
}

function main(argv: string[]): number {
  const srcIdx = argv.indexOf('--source');
  const sourceDir = srcIdx >= 0 ? path.resolve(argv[srcIdx + 1] ?? '') : DEFAULT_SOURCE_DIR;
  const check = argv.includes('--check');
  const files = generateCatalogFiles(sourceDir);
  let differ = 0;
  fs.mkdirSync(CATALOG_DIR, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    const target = path.join(CATALOG_DIR, name);
    const same = fs.existsSync(target) && fs.readFileSync(target).equals(bytes);
    if (check) {
      if (!same) {
        differ++;
        console.error(`${target} differs from a fresh generation; run npm run catalog`);
      }
    } else {
      if (!same) fs.writeFileSync(target, bytes);
      console.log(`${same ? 'unchanged' : 'wrote'} ${path.relative(REPO_ROOT, target)} (${bytes.length} bytes)`);
    }
  }
  return differ ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    console.error(`catalog generation failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
