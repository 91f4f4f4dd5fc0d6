/**
 * The blueprint service wired into the app services and the CLI: CRUD, export/import, apply,
 * auto-apply, device logs. Input is validated completely (zod schema, referenced profiles and
 * identities, a sample build of every profile the blueprint makes) before anything is written;
 * each write is one transaction with its audit row.
 */
import { skipKeyProblem, validatePrepareSpec } from '../apple/prepare';
import { listDeviceLogs, type DeviceLogLine, type RunSummary } from '../bench';
import { getOrganization } from '../organizations/repository';
import { buildEnrollmentProfile, buildWifiProfile } from '../profiles';
import { appendAudit, getProfileMeta } from '../store';
import { applyBlueprint, readinessProblems, type ApplyOptions, type BlueprintDeps } from './apply';
import { startAutoApply, type AutoApplyHandle, type AutoApplyOptions } from './auto-apply';
import { fillPlaceholders } from './placeholders';
import { prepareInputOf } from './prepare-executor';
import {
  autoApplyBlueprint, deleteBlueprint, extractSecrets, getBlueprint, listBlueprints, referencedSecrets, saveBlueprint, setAutoApplyBlueprint,
  type BlueprintRecord,
} from './repository';
import { BlueprintInputError, parseBlueprintInput, parseBlueprintJson, type BlueprintAction, type BlueprintFile, type BlueprintInput, type PrepareAction } from './schema';
import { exportBlueprint, exportFileName } from './transfer';

/** A blueprint as shown to the operator: stored actions (references, no secrets) and readiness. */
export interface BlueprintView {
  id: string;
  name: string;
  description: string;
  autoApply: boolean;
  actions: BlueprintAction[];
  /** Secrets the actions reference and whether each is stored. */
  secrets: { ref: string; what: string; stored: boolean }[];
  /** `{counter}` values handed out so far. */
  nameCounter: number;
  /** True when it can run now; otherwise `problems` says why. */
  ready: boolean;
  problems: string[];
  createdAt: string;
  updatedAt: string;
}

/** Blueprint operations. Errors: BlueprintInputError (exit 2), BlueprintNotFoundError, BlueprintExistsError, BlueprintNotReadyError. */
export interface BlueprintService {
  list(): BlueprintView[];
  /** By name (case-insensitive) or id. */
  get(name: string): BlueprintView;
  /**
   * Creates (or with `replace` updates) a blueprint from `input` (a bare blueprint or an export
   * document). Secrets given in clear are sealed; `secrets` supplies values for references.
   * Every referenced secret must be available.
   */
  create(input: unknown, opts?: { replace?: boolean; secrets?: Record<string, string> }): BlueprintView;
  delete(name: string): boolean;
  /** The export document, as JSON text, with a suggested file name. */
  export(name: string): { json: string; fileName: string; document: BlueprintFile };
  /** Imports an export file (JSON text); missing secrets are allowed and reported. */
  import(text: string, opts?: { name?: string; replace?: boolean; secrets?: Record<string, string> }): { blueprint: BlueprintView; missingSecrets: string[] };
  apply(name: string, opts?: ApplyOptions): Promise<RunSummary>;
  /** Selects the auto-apply blueprint (null = none). */
  setAutoApply(name: string | null): BlueprintView | null;
  /** Starts auto-apply of `name` (default: the selected auto-apply blueprint). */
  startAutoApply(name?: string, opts?: AutoApplyOptions): Promise<AutoApplyHandle>;
  /** Per-device log lines (no secrets). */
  logs(filter: { runId?: string; udid?: string; limit?: number }): DeviceLogLine[];
}

const SAMPLE = { serial: 'F2LSAMPLE0XX', udid: '00008120-000A1B2C3D4E5F60', ecid: '2833238390181728', model: 'iPhone', productType: 'iPhone15,2', counter: 1 };

/** Checks what the schema cannot: referenced profiles/identities, and that each built profile is valid. Returns problems. */
function deepProblems(deps: BlueprintDeps, input: BlueprintInput, secrets: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  input.actions.forEach((a, i) => {
    const where = `actions.${i} (${a.type})`;
    try {
      if (a.type === 'wifi') {
        const built = buildWifiProfile({ ssid: a.ssid, password: a.passwordRef ? secrets.get(a.passwordRef) : a.password, encryption: a.encryption, hidden: a.hidden, prefix: 'com.stagebench.blueprint.check' });
        for (const e of built.issues.filter((x) => x.severity === 'error')) problems.push(`${where}: ${e.message}`);
      }
      if (a.type === 'enrollment-profile' && a.template) {
        const t = a.template;
        const f = (s: string): string => fillPlaceholders(s, SAMPLE);
        const built = buildEnrollmentProfile({
          name: f(t.name), identifier: f(t.identifier), organization: t.organization, description: t.description, serverUrl: f(t.serverUrl),
          checkInUrl: t.checkInUrl ? f(t.checkInUrl) : undefined, topic: t.topic, accessRights: t.accessRights, os: t.os, anchors: t.anchors,
          scep: t.scep ? { url: f(t.scep.url), name: t.scep.name, subject: t.scep.subject ? f(t.scep.subject) : undefined, keysize: t.scep.keysize, challenge: 'sample' } : undefined,
        });
        for (const e of built.issues.filter((x) => x.severity === 'error')) problems.push(`${where}: template: ${e.message}`);
      }
      if (a.type === 'prepare') problems.push(...prepareProblems(deps, a).map((p) => `${where}: ${p}`));
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  });
  return problems;
}

/**
 * What a prepare action's executor (main/apple/prepare `prepareDevice`) would refuse on every
 * device, checked at save time: an unknown organization, skip keys that are not Setup Assistant
 * skip keys on iOS/iPadOS nor on tvOS (`skipKeyProblem`), and flag / language / locale problems
 * of `validatePrepareSpec` (e.g. supervision or skip keys together with Automated Device Enrollment).
 */
function prepareProblems(deps: BlueprintDeps, a: PrepareAction): string[] {
  const problems: string[] = [];
  if (a.organizationId) {
    try {
      getOrganization(deps.db, a.organizationId);
    } catch {
      problems.push(`organization "${a.organizationId}" is not in the cache: create or import it on the Organizations page, then choose it again`);
    }
  }
  if (Array.isArray(a.skipSetup)) {
    for (const key of a.skipSetup) {
      const ios = skipKeyProblem(key, 'iOS');
      if (ios && skipKeyProblem(key, 'tvOS')) problems.push(`skip key ${ios}`);
    }
  }
  const { orgId: _orgId, ...spec } = prepareInputOf(a);
  try {
    validatePrepareSpec(spec);
  } catch (err) {
    problems.push((err as Error).message);
  }
  return problems;
}

/** Builds the service. `deps.box` seals secrets (opened lazily: a passphrase is needed only when secrets are touched). */
export function createBlueprintService(deps: BlueprintDeps): BlueprintService {
  const { db } = deps;
  const view = (b: BlueprintRecord): BlueprintView => {
    const problems = readinessProblems(deps, b);
    return {
      id: b.id, name: b.name, description: b.description, autoApply: b.autoApply, actions: b.actions, nameCounter: b.nameCounter,
      secrets: referencedSecrets(b.actions).map((s) => ({ ...s, stored: b.storedSecrets.includes(s.ref) })),
      ready: problems.length === 0, problems, createdAt: b.createdAt, updatedAt: b.updatedAt,
    };
  };
  const save = (input: BlueprintInput, opts: { replace?: boolean; secrets?: Record<string, string> }, action: string, requireSecrets: boolean): { b: BlueprintRecord; missing: string[] } => {
    const { actions, secrets } = extractSecrets(input, opts.secrets ?? {});
    const missing = referencedSecrets(actions).filter((s) => !secrets.has(s.ref));
    const problems = deepProblems(deps, { ...input, actions }, secrets);
    if (requireSecrets) for (const m of missing) problems.push(`${m.what} is missing (reference "${m.ref}"): give it in clear in the input, or with --secret-env ${m.ref}=VAR`);
    const draft = { id: 'new', name: input.name, description: input.description ?? '', actions, autoApply: !!input.autoApply, nameCounter: 0, createdAt: '', updatedAt: '', storedSecrets: [...secrets.keys()] };
    for (const p of readinessProblems(deps, draft)) {
      if (/ is not stored \(reference /.test(p) || /executor/.test(p)) continue; // reported above / may be registered later
      problems.push(p);
    }
    if (problems.length) throw new BlueprintInputError(problems);
    let b!: BlueprintRecord;
    db.transaction(() => {
      b = saveBlueprint(db, deps.box, { name: input.name, description: input.description, actions, autoApply: input.autoApply }, secrets, opts);
      appendAudit(db, { actor: deps.actor, action, target: b.name, outcome: 'success', detail: `${actions.length} action(s): ${actions.map((a) => a.type).join(', ')}` });
    })();
    return { b, missing: missing.map((m) => m.ref) };
  };

  return {
    list: () => listBlueprints(db).map(view),
    get: (name) => view(getBlueprint(db, name)),
    create(input, opts = {}) {
      return view(save(parseBlueprintInput(input), opts, 'blueprint.create', true).b);
    },
    delete(name) {
      const existed = db.transaction(() => {
        const ok = deleteBlueprint(db, name);
        if (ok) appendAudit(db, { actor: deps.actor, action: 'blueprint.delete', target: name, outcome: 'success' });
        return ok;
      })();
      return existed;
    },
    export(name) {
      const b = getBlueprint(db, name);
      const document = exportBlueprint(b, (id) => getProfileMeta(db, id));
      appendAudit(db, { actor: deps.actor, action: 'blueprint.export', target: b.name, outcome: 'success', detail: `${document.secrets?.length ?? 0} secret(s) left out` });
      return { json: `${JSON.stringify(document, null, 2)}\n`, fileName: exportFileName(b), document };
    },
    import(text, opts = {}) {
      const parsed = parseBlueprintJson(text);
      const input = opts.name ? { ...parsed, name: opts.name } : parsed;
      const { b, missing } = save(input, opts, 'blueprint.import', false);
      return { blueprint: view(b), missingSecrets: missing };
    },
    apply: (name, opts) => applyBlueprint(deps, getBlueprint(db, name), opts),
    setAutoApply(name) {
      const b = setAutoApplyBlueprint(db, name);
      appendAudit(db, { actor: deps.actor, action: 'blueprint.auto-apply', target: b?.name ?? '', outcome: 'success', detail: b ? 'selected' : 'off' });
      return b ? view(b) : null;
    },
    async startAutoApply(name, opts) {
      const b = name ? getBlueprint(db, name) : autoApplyBlueprint(db);
      if (!b) throw new BlueprintInputError(['no blueprint is selected for auto-apply; choose one (create --auto-apply, or pass its name)']);
      return startAutoApply(deps, b, opts);
    },
    logs: (filter) => listDeviceLogs(db, filter),
  };
}

