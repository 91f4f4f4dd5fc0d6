/**
 * Blueprints in the cache (migration 008): rows of `blueprints` with their actions as JSON (no
 * secrets), sealed secrets in `blueprint_secrets`, the `{counter}` sequence and the auto-apply
 * selection. Writes happen in one transaction each; input is validated before (service.ts).
 */
import crypto from 'node:crypto';
import type { SecretBox } from '../secrets';
import type { Db } from '../store';
import { blueprintActionSchema, type BlueprintAction, type BlueprintInput } from './schema';

/** A stored blueprint. Times ISO-8601 UTC; `actions` hold references, never secrets. */
export interface BlueprintRecord {
  id: string;
  name: string;
  description: string;
  actions: BlueprintAction[];
  autoApply: boolean;
  /** `{counter}` values handed out so far. */
  nameCounter: number;
  createdAt: string;
  updatedAt: string;
  /** Secret references whose sealed value is stored. */
  storedSecrets: string[];
}

/** Thrown for a name that is already taken (create without replace) or unknown (get/delete). */
export class BlueprintNotFoundError extends Error {
  constructor(name: string, known: string[]) {
    super(`no blueprint named "${name}" (known: ${known.length ? known.join(', ') : 'none'}); list them with \`stagebench blueprint list\``);
    this.name = 'BlueprintNotFoundError';
  }
}

/** A blueprint with this name exists already. */
export class BlueprintExistsError extends Error {
  constructor(name: string) {
    super(`a blueprint named "${name}" already exists; choose another name, or replace it (--replace)`);
    this.name = 'BlueprintExistsError';
  }
}

interface Row {
  id: string;
  name: string;
  description: string;
  actions_json: string;
  auto_apply: number;
  name_counter: number;
  created_at: string;
  updated_at: string;
}

function toRecord(db: Db, r: Row): BlueprintRecord {
  const actions = (JSON.parse(r.actions_json) as unknown[]).map((a) => blueprintActionSchema.parse(a));
  const storedSecrets = (db.prepare('SELECT ref FROM blueprint_secrets WHERE blueprint_id = ? ORDER BY ref').all(r.id) as { ref: string }[]).map((x) => x.ref);
  return {
    id: r.id, name: r.name, description: r.description, actions, autoApply: r.auto_apply === 1, nameCounter: r.name_counter,
    createdAt: r.created_at, updatedAt: r.updated_at, storedSecrets,
  };
}

/** Secret references an action list uses (Wi-Fi passwordRef, SCEP challengeRef), with what each is. */
export function referencedSecrets(actions: readonly BlueprintAction[]): { ref: string; what: string }[] {
  const out: { ref: string; what: string }[] = [];
  for (const a of actions) {
    if (a.type === 'wifi' && a.passwordRef) out.push({ ref: a.passwordRef, what: `Wi-Fi password of "${a.ssid}"` });
    if (a.type === 'enrollment-profile' && a.template?.scep?.challengeRef) out.push({ ref: a.template.scep.challengeRef, what: `SCEP challenge of "${a.template.name}"` });
  }
  return out;
}

/**
 * Moves secrets given in clear (`password`, `scep.challenge`) out of `input.actions` into a map,
 * replacing each by a fresh reference (`wifi-N`, `scep-N`), and adds `provided` values for
 * references the input already carries. Returns the storable actions and the secrets to seal.
 */
export function extractSecrets(input: BlueprintInput, provided: Readonly<Record<string, string>> = {}): { actions: BlueprintAction[]; secrets: Map<string, string> } {
  const secrets = new Map<string, string>();
  const taken = new Set(referencedSecrets(input.actions).map((r) => r.ref));
  const fresh = (prefix: string): string => {
    let n = 1;
    while (taken.has(`${prefix}-${n}`)) n++;
    taken.add(`${prefix}-${n}`);
    return `${prefix}-${n}`;
  };
  const actions = input.actions.map((a): BlueprintAction => {
    if (a.type === 'wifi' && a.password !== undefined) {
      const { password, ...rest } = a;
      const ref = fresh('wifi');
      secrets.set(ref, password);
      return { ...rest, passwordRef: ref };
    }
    if (a.type === 'enrollment-profile' && a.template?.scep?.challenge !== undefined) {
      const { challenge, ...scep } = a.template.scep;
      const ref = fresh('scep');
      secrets.set(ref, challenge);
      return { ...a, template: { ...a.template, scep: { ...scep, challengeRef: ref } } };
    }
    return a;
  });
  for (const { ref } of referencedSecrets(actions)) if (!secrets.has(ref) && provided[ref] !== undefined) secrets.set(ref, provided[ref]);
  return { actions, secrets };
}

/** Every blueprint, by name. */
export function listBlueprints(db: Db): BlueprintRecord[] {
  return (db.prepare('SELECT * FROM blueprints ORDER BY name COLLATE NOCASE').all() as Row[]).map((r) => toRecord(db, r));
}

/** One blueprint by name (case-insensitive) or id; null when unknown. */
export function findBlueprint(db: Db, nameOrId: string): BlueprintRecord | null {
  const r = db.prepare('SELECT * FROM blueprints WHERE name = ? COLLATE NOCASE OR id = ?').get(nameOrId, nameOrId) as Row | undefined;
  return r ? toRecord(db, r) : null;
}

/** One blueprint by name or id; throws BlueprintNotFoundError. */
export function getBlueprint(db: Db, nameOrId: string): BlueprintRecord {
  const b = findBlueprint(db, nameOrId);
  if (!b) throw new BlueprintNotFoundError(nameOrId, listBlueprints(db).map((x) => x.name));
  return b;
}

/**
 * Saves a blueprint (actions without secrets + sealed `secrets`) in one transaction. With
 * `replace`, an existing blueprint of that name keeps its id and counter and gets the new
 * actions and secrets; otherwise BlueprintExistsError. `autoApply: true` takes the auto-apply
 * selection from any other blueprint.
 */
export function saveBlueprint(
  db: Db, box: SecretBox,
  b: { name: string; description?: string; actions: BlueprintAction[]; autoApply?: boolean },
  secrets: ReadonlyMap<string, string>, opts: { replace?: boolean } = {},
): BlueprintRecord {
  const sealed = [...secrets].map(([ref, value]) => [ref, box.seal(Buffer.from(value, 'utf8'))] as const);
  const now = new Date().toISOString();
  let id = '';
  db.transaction(() => {
    const existing = db.prepare('SELECT id FROM blueprints WHERE name = ? COLLATE NOCASE').get(b.name) as { id: string } | undefined;
    if (existing && !opts.replace) throw new BlueprintExistsError(b.name);
    if (b.autoApply) db.prepare('UPDATE blueprints SET auto_apply = 0 WHERE auto_apply = 1').run();
    if (existing) {
      id = existing.id;
      db.prepare('UPDATE blueprints SET name = ?, description = ?, actions_json = ?, auto_apply = ?, updated_at = ? WHERE id = ?')
        .run(b.name, b.description ?? '', JSON.stringify(b.actions), b.autoApply ? 1 : 0, now, id);
      db.prepare('DELETE FROM blueprint_secrets WHERE blueprint_id = ?').run(id);
    } else {
      id = crypto.randomUUID();
      db.prepare('INSERT INTO blueprints (id, name, description, actions_json, auto_apply, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, b.name, b.description ?? '', JSON.stringify(b.actions), b.autoApply ? 1 : 0, now, now);
    }
    const ins = db.prepare('INSERT INTO blueprint_secrets (blueprint_id, ref, sealed) VALUES (?, ?, ?)');
    for (const [ref, s] of sealed) ins.run(id, ref, s);
  })();
  return getBlueprint(db, id);
}

/** Deletes a blueprint (and its secrets); returns whether it existed. */
export function deleteBlueprint(db: Db, nameOrId: string): boolean {
  return db.prepare('DELETE FROM blueprints WHERE name = ? COLLATE NOCASE OR id = ?').run(nameOrId, nameOrId).changes > 0;
}

/** Opens one sealed secret of a blueprint; null when it is not stored. Throws when the seal does not open. */
export function openBlueprintSecret(db: Db, box: SecretBox, blueprintId: string, ref: string): string | null {
  const r = db.prepare('SELECT sealed FROM blueprint_secrets WHERE blueprint_id = ? AND ref = ?').get(blueprintId, ref) as { sealed: Buffer } | undefined;
  return r ? box.open(r.sealed).toString('utf8') : null;
}

/** Hands out the next `{counter}` index (0, 1, 2, … per blueprint) atomically. */
export function takeCounter(db: Db, blueprintId: string): number {
  const r = db.prepare('UPDATE blueprints SET name_counter = name_counter + 1 WHERE id = ? RETURNING name_counter').get(blueprintId) as { name_counter: number } | undefined;
  if (!r) throw new Error(`blueprint ${blueprintId} no longer exists`);
  return r.name_counter - 1;
}

/** Selects the auto-apply blueprint (null = none). Throws BlueprintNotFoundError. */
export function setAutoApplyBlueprint(db: Db, nameOrId: string | null): BlueprintRecord | null {
  const target = nameOrId === null ? null : getBlueprint(db, nameOrId);
  db.transaction(() => {
    db.prepare('UPDATE blueprints SET auto_apply = 0 WHERE auto_apply = 1').run();
    if (target) db.prepare('UPDATE blueprints SET auto_apply = 1 WHERE id = ?').run(target.id);
  })();
  return target ? getBlueprint(db, target.id) : null;
}

/** The auto-apply blueprint, or null. */
export function autoApplyBlueprint(db: Db): BlueprintRecord | null {
  const r = db.prepare('SELECT * FROM blueprints WHERE auto_apply = 1').get() as Row | undefined;
  return r ? toRecord(db, r) : null;
}
