/**
 * The DEP profile service the CLI (`stagebench dep profile …`) and the Electron IPC call: many
 * profiles per ABM server, one default (new devices get it; it cannot be deleted; deleting another
 * profile moves its devices to the default), single and bulk assignment within the server while
 * devices are not enrolled, Edit Authentication, macOS account setup with the managed admin's
 * password kept only as a sealed SALTED-SHA512-PBKDF2 hash, and the outbox pushed to Apple.
 * Every write validates first and commits in one transaction with an audit row.
 */
import crypto from 'node:crypto';
import type { SecretBox } from '../../secrets';
import type { Db } from '../../store/db';
import { appendAudit } from '../../store/audit';
import { buildTypedPlist } from '../../profiles/plist-xml';
import { buildAccountConfiguration } from '../accounts/account-setup';
import { saltedSha512Pbkdf2 } from '../accounts/password-hash';
import type { ResolvedSkipItems } from '../setup-assistant/editor';
import type { AppleDepProfile } from './apple-profile';
import {
  adoptAssignment, checkAssignable, deviceCountsByProfile, listDeviceAssignments, serialsOfProfile, unassignedSerials, upsertAssignments,
  type DepDeviceAssignment,
} from './assignments';
import { completeProfileForm, type DepAuthentication, type DepProfileForm } from './form';
import { appleProfileToForm, isAppleProfileJson } from './from-apple';
import { assertNoDepErrors, DepProfileInputError, DepProfileValidationError, type DepProfileIssue } from './issues';
import { enqueueAssign, enqueueDefine, listOutbox, pushPending, requeueErrors, type DepProfileApi, type OutboxItem, type PushReport } from './outbox';
import {
  deleteProfileRow, findDefaultProfile, findProfile, insertProfile, listProfileRecords, sealedAdminHash, setDefaultRow, updateProfileRow,
  type DepProfileRecord, type DepProfileSyncState, type ProfileWrite,
} from './repository';
import { formToAppleProfile, type DepMdmSettings, type DepProfileContext } from './to-apple';
import { validateAppleProfile } from './validate-apple';
import { validateProfileForm } from './validate-form';

/** Options of {@link createDepProfileService}. */
export interface DepProfileServiceOptions extends DepProfileContext {
  /**
   * Device Assignment client for a server (main/dep/api DepClient built from the server's token).
   * Needed only by pushPending; absent → pushPending throws saying so.
   */
  apiFor?: (serverId: string) => DepProfileApi | Promise<DepProfileApi>;
  /** Clock (default: now). */
  now?: () => Date;
}

/** The managed admin password as typed twice; memory only, never stored or logged. */
export interface DepProfileSecrets {
  adminPassword?: string;
  confirmAdminPassword?: string;
}

/** A profile in listings ("Enrollment Profile(s)" page columns plus sync state). */
export interface DepProfileSummary {
  id: string;
  serverId: string;
  serverName: string;
  name: string;
  description: string | null;
  department: string | null;
  supportPhone: string | null;
  profileUuid: string | null;
  isDefault: boolean;
  syncState: DepProfileSyncState;
  lastError: string | null;
  /** "Number of Devices". */
  deviceCount: number;
  /** Outbox items not yet sent (pending) or refused (error). */
  pendingSends: number;
  updatedAt: string;
  syncedAt: string | null;
}

/** One profile in full: the form, Apple's JSON, MDM-side settings, skip-key resolution, warnings and queued sends. */
export interface DepProfileDetail extends DepProfileSummary {
  form: DepProfileForm;
  apple: AppleDepProfile;
  mdmSettings: DepMdmSettings;
  skip: ResolvedSkipItems;
  warnings: DepProfileIssue[];
  hasAdminPassword: boolean;
  adminPasswordIterations: number | null;
  outbox: OutboxItem[];
}

/** Result of an assignment: serials moved to the profile, and serials already on it. */
export interface DepAssignResult {
  profileId: string;
  assigned: string[];
  unchanged: string[];
}

/** Options of create / update: the admin password (twice), `draft` (save without queueing a send). */
export interface DepProfileWriteOptions {
  secrets?: DepProfileSecrets;
  draft?: boolean;
}

/** The service. Errors: DepProfileValidationError (issues per field), DepProfileInputError (unknown id, wrong server, enrolled device...), both exitCode 2. */
export interface DepProfileService {
  list(filter?: { serverId?: string }): DepProfileSummary[];
  get(id: string): DepProfileDetail;
  /** Issues of a form (or Apple JSON) without saving; `profileId` to count an already stored admin hash. */
  validate(input: unknown, secrets?: DepProfileSecrets, profileId?: string): DepProfileIssue[];
  create(serverId: string, input: unknown, opts?: DepProfileWriteOptions): DepProfileDetail;
  update(id: string, patch: unknown, opts?: DepProfileWriteOptions): DepProfileDetail;
  /** Queues a draft (or an errored profile) for sending. */
  queue(id: string): DepProfileDetail;
  editAuthentication(id: string, auth: DepAuthentication): DepProfileDetail;
  setDefault(id: string): DepProfileDetail;
  delete(id: string): { deleted: string; reassigned: number; defaultProfileId: string | null };
  assign(profileId: string, serials: readonly string[]): DepAssignResult;
  assignAllUnassigned(profileId: string): DepAssignResult;
  /** New devices get the default: adopts devices Apple already has on a local profile, assigns the rest (not enrolled) to the default. */
  applyDefaultToNewDevices(serverId: string): { adopted: number; assigned: number };
  devices(serverId: string, profileId?: string): DepDeviceAssignment[];
  outbox(serverId?: string): OutboxItem[];
  retryErrors(serverId: string): number;
  pushPending(serverId: string): Promise<PushReport>;
  /** Apple's AccountConfiguration command (XML plist) for the profile's macOS account setup; undefined when none. */
  accountConfiguration(id: string): Buffer | undefined;
}

const FORM_SECTIONS = ['customEnrollment', 'minimumOs', 'sharedIpad', 'macosAccounts'] as const;

/** Deep-merges a form patch over a base (nested sections field by field; arrays replaced). */
export function mergeProfileForm(base: DepProfileForm, patch: Partial<DepProfileForm>): DepProfileForm {
  const out = { ...base, ...patch } as DepProfileForm;
  for (const k of FORM_SECTIONS) {
    if (patch[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = { ...(base[k] as object), ...(patch[k] as object) };
  }
  return out;
}

/** Pulls a password typed into the form (renderer JSON) out into secrets so it is never stored. */
function extractSecrets(input: Record<string, unknown>, secrets: DepProfileSecrets = {}): DepProfileSecrets {
  const accounts = input.macosAccounts as Record<string, unknown> | undefined;
  const admin = accounts?.managedAdmin as Record<string, unknown> | undefined;
  const out = { ...secrets };
  if (admin) {
    if (typeof admin.password === 'string') out.adminPassword ??= admin.password;
    if (typeof admin.confirmPassword === 'string') out.confirmAdminPassword ??= admin.confirmPassword;
    delete admin.password;
    delete admin.confirmPassword;
  }
  return out;
}

function asObject(input: unknown, what: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new DepProfileInputError(`${what} must be a JSON object`);
  return structuredClone(input) as Record<string, unknown>;
}

/**
 * Builds the DEP profile service over the cache. `box` seals the managed admin's password hash;
 * `actor` is recorded in the audit trail ("cli:alice").
 */
export function createDepProfileService(db: Db, box: SecretBox, actor: string, opts: DepProfileServiceOptions = {}): DepProfileService {
  const now = () => (opts.now ?? (() => new Date()))().toISOString();

  const serverName = (serverId: string): string => {
    const r = db.prepare('SELECT name FROM dep_servers WHERE id = ?').get(serverId) as { name: string } | undefined;
    if (!r) throw new DepProfileInputError(`no ABM server with id ${serverId}; list them with: stagebench dep server list`, 'server');
    return r.name;
  };
  const mustFind = (id: string): DepProfileRecord => {
    const p = findProfile(db, id);
    if (!p) throw new DepProfileInputError(`no DEP profile with id ${id}; list them with: stagebench dep profile list`, 'id');
    return p;
  };
  const pendingCounts = (): Map<string, number> => {
    const rows = db.prepare("SELECT profile_id, COUNT(*) AS n FROM dep_profile_outbox WHERE state IN ('pending', 'error') GROUP BY profile_id").all() as { profile_id: string; n: number }[];
    return new Map(rows.map((r) => [r.profile_id, r.n]));
  };
  const summarise = (p: DepProfileRecord, counts: Map<string, number>, pending: Map<string, number>): DepProfileSummary => ({
    id: p.id,
    serverId: p.serverId,
    serverName: serverName(p.serverId),
    name: p.name,
    description: p.mdmSettings.description ?? null,
    department: p.apple.department ?? null,
    supportPhone: p.apple.support_phone_number ?? null,
    profileUuid: p.profileUuid,
    isDefault: p.isDefault,
    syncState: p.syncState,
    lastError: p.lastError,
    deviceCount: counts.get(p.id) ?? 0,
    pendingSends: pending.get(p.id) ?? 0,
    updatedAt: p.updatedAt,
    syncedAt: p.syncedAt,
  });
  const detail = (id: string): DepProfileDetail => {
    const p = mustFind(id);
    const mapped = formToAppleProfile(p.form, opts);
    return {
      ...summarise(p, deviceCountsByProfile(db, p.serverId), pendingCounts()),
      form: p.form,
      apple: p.apple,
      mdmSettings: p.mdmSettings,
      skip: mapped.skip,
      warnings: validateProfileForm(p.form, { ...opts, hasStoredAdminHash: p.hasAdminPassword }).filter((i) => i.severity === 'warning'),
      hasAdminPassword: p.hasAdminPassword,
      adminPasswordIterations: p.adminPasswordIterations,
      outbox: listOutbox(db).filter((o) => o.profileId === p.id),
    };
  };

  /** Reads form-or-Apple input into a complete form (+ devices named in Apple JSON) and secrets. Throws DepProfileValidationError for bad Apple JSON. */
  const readInput = (input: unknown, secrets?: DepProfileSecrets): { form: DepProfileForm; devices: string[]; secrets: DepProfileSecrets } => {
    const obj = asObject(input, 'the profile');
    if (isAppleProfileJson(obj)) {
      const issues = validateAppleProfile(obj);
      // url may come from the tenant default; everything else must already be right.
      const blocking = issues.filter((i) => i.severity === 'error' && !(i.code === 'CONFIG_URL_REQUIRED' && opts.enrollmentUrl));
      if (blocking.length) throw new DepProfileValidationError(issues);
      const { form, devices } = appleProfileToForm(obj);
      return { form, devices, secrets: secrets ?? {} };
    }
    const s = extractSecrets(obj, secrets);
    return { form: completeProfileForm(obj as Partial<DepProfileForm>), devices: [], secrets: s };
  };

  /** Validates and prepares the row values (hash sealed when a password is given). */
  const prepare = (form: DepProfileForm, secrets: DepProfileSecrets, existing: DepProfileRecord | undefined, draft: boolean): ProfileWrite => {
    const typed = secrets.adminPassword !== undefined || secrets.confirmAdminPassword !== undefined;
    const adminPassword = typed ? { password: secrets.adminPassword, confirmPassword: secrets.confirmAdminPassword } : undefined;
    const issues = validateProfileForm(form, { ...opts, adminPassword, hasStoredAdminHash: existing?.hasAdminPassword === true });
    assertNoDepErrors(issues);
    const mapped = formToAppleProfile(form, opts);
    let adminHash: ProfileWrite['adminHash'];
    const stored = { ...form, macosAccounts: { ...form.macosAccounts } };
    if (!form.macosAccounts.managedAdmin) adminHash = existing?.hasAdminPassword ? null : undefined;
    else if (typed && secrets.adminPassword) {
      const h = saltedSha512Pbkdf2(secrets.adminPassword);
      adminHash = { sealed: box.seal(h.plist), iterations: h.iterations };
      stored.macosAccounts.managedAdmin = { ...form.macosAccounts.managedAdmin, passwordIterations: h.iterations };
    } else {
      stored.macosAccounts.managedAdmin = { ...form.macosAccounts.managedAdmin, passwordIterations: existing?.adminPasswordIterations ?? undefined };
    }
    const settings: DepMdmSettings = { ...mapped.mdmSettings, ...(mapped.mdmSettings.macosAccounts ? { macosAccounts: stored.macosAccounts } : {}) };
    const unchanged = existing && existing.profileUuid && JSON.stringify(existing.apple) === JSON.stringify(mapped.profile) && existing.syncState === 'synced';
    const syncState: DepProfileSyncState = draft ? 'draft' : unchanged ? 'synced' : 'pending';
    return { name: mapped.profile.profile_name, form: stored, apple: mapped.profile, mdmSettings: settings, syncState, adminHash };
  };

  const nameTaken = (serverId: string, name: string, exceptId?: string): boolean =>
    !!db.prepare('SELECT 1 FROM dep_profiles WHERE server_id = ? AND name = ? AND id IS NOT ?').get(serverId, name, exceptId ?? null);

  const doAssign = (profile: DepProfileRecord, serials: readonly string[], at: string): DepAssignResult => {
    const toWrite = checkAssignable(db, profile, serials);
    const unique = [...new Set(serials.map((s) => s.trim()).filter(Boolean))];
    upsertAssignments(db, profile.serverId, profile.id, toWrite, at);
    if (toWrite.length) enqueueAssign(db, profile.serverId, profile.id, toWrite, at);
    return { profileId: profile.id, assigned: toWrite, unchanged: unique.filter((s) => !toWrite.includes(s)) };
  };

  return {
    list(filter = {}) {
      if (filter.serverId) serverName(filter.serverId);
      const counts = deviceCountsByProfile(db, filter.serverId);
      const pending = pendingCounts();
      return listProfileRecords(db, filter.serverId).map((p) => summarise(p, counts, pending));
    },

    get: detail,

    validate(input, secrets, profileId) {
      const existing = profileId ? mustFind(profileId) : undefined;
      let read;
      try {
        read = readInput(input, secrets);
      } catch (err) {
        if (err instanceof DepProfileValidationError) return err.issues;
        throw err;
      }
      const form = existing ? mergeProfileForm(existing.form, read.form) : read.form;
      const s = read.secrets;
      const typed = s.adminPassword !== undefined || s.confirmAdminPassword !== undefined;
      return validateProfileForm(form, { ...opts, hasStoredAdminHash: existing?.hasAdminPassword === true, adminPassword: typed ? { password: s.adminPassword, confirmPassword: s.confirmAdminPassword } : undefined });
    },

    create(serverId, input, o = {}) {
      const server = serverName(serverId);
      const { form, devices, secrets } = readInput(input, o.secrets);
      const row = prepare(form, secrets, undefined, o.draft === true);
      if (nameTaken(serverId, row.name)) throw new DepProfileValidationError([{ field: 'name', code: 'CONFIG_NAME_INVALID', rule: 'PROFILE_NAME_DUPLICATE', source: 'stagebench', severity: 'error', message: `server "${server}" already has a profile named "${row.name}"; choose another name` }]);
      const id = crypto.randomUUID();
      const at = now();
      db.transaction(() => {
        const isDefault = !findDefaultProfile(db, serverId);
        insertProfile(db, { ...row, id, serverId, isDefault, now: at });
        if (row.syncState === 'pending') enqueueDefine(db, serverId, id, at);
        if (devices.length) doAssign(mustFind(id), devices, at);
        appendAudit(db, { actor, action: 'dep.profile.create', target: id, outcome: 'success', detail: `profile "${row.name}" on server "${server}"${isDefault ? ' (default)' : ''}, ${row.syncState}` });
      })();
      return detail(id);
    },

    update(id, patch, o = {}) {
      const existing = mustFind(id);
      const obj = asObject(patch, 'the profile changes');
      let form: DepProfileForm;
      let secrets: DepProfileSecrets;
      if (isAppleProfileJson(obj)) {
        const read = readInput(obj, o.secrets);
        form = { ...read.form, authentication: existing.form.authentication, macosAccounts: existing.form.macosAccounts, minimumOs: existing.form.minimumOs };
        secrets = read.secrets;
      } else {
        secrets = extractSecrets(obj, o.secrets);
        form = mergeProfileForm(existing.form, obj as Partial<DepProfileForm>);
      }
      const row = prepare(form, secrets, existing, o.draft === true);
      if (nameTaken(existing.serverId, row.name, id)) throw new DepProfileValidationError([{ field: 'name', code: 'CONFIG_NAME_INVALID', rule: 'PROFILE_NAME_DUPLICATE', source: 'stagebench', severity: 'error', message: `this server already has a profile named "${row.name}"; choose another name` }]);
      const at = now();
      db.transaction(() => {
        updateProfileRow(db, id, { ...row, now: at });
        if (row.syncState === 'pending') enqueueDefine(db, existing.serverId, id, at);
        appendAudit(db, { actor, action: 'dep.profile.update', target: id, outcome: 'success', detail: `profile "${row.name}", ${row.syncState}${row.adminHash ? ', admin password changed' : ''}` });
      })();
      return detail(id);
    },

    queue(id) {
      const p = mustFind(id);
      if (p.syncState === 'synced') return detail(id);
      const at = now();
      db.transaction(() => {
        db.prepare("UPDATE dep_profiles SET sync_state = 'pending', last_error = NULL, updated_at = ? WHERE id = ?").run(at, id);
        db.prepare("UPDATE dep_profile_outbox SET state = 'pending', updated_at = ? WHERE profile_id = ? AND kind = 'define' AND state = 'error'").run(at, id);
        enqueueDefine(db, p.serverId, id, at);
        appendAudit(db, { actor, action: 'dep.profile.queue', target: id, outcome: 'success', detail: `profile "${p.name}" queued` });
      })();
      return detail(id);
    },

    editAuthentication(id, auth) {
      const p = mustFind(id);
      return this.update(id, { authentication: auth } as Partial<DepProfileForm>, { draft: p.syncState === 'draft' });
    },

    setDefault(id) {
      const p = mustFind(id);
      const at = now();
      db.transaction(() => {
        setDefaultRow(db, p.serverId, id, at);
        appendAudit(db, { actor, action: 'dep.profile.set-default', target: id, outcome: 'success', detail: `profile "${p.name}" is now the default of its server` });
      })();
      return detail(id);
    },

    delete(id) {
      const p = mustFind(id);
      if (p.isDefault) throw new DepProfileInputError(`"${p.name}" is the default profile and cannot be deleted; make another profile the default first (stagebench dep profile set-default ID)`, 'id');
      const def = findDefaultProfile(db, p.serverId);
      const at = now();
      let moved: string[] = [];
      db.transaction(() => {
        moved = serialsOfProfile(db, id);
        if (moved.length) {
          if (!def) throw new DepProfileInputError(`the server has no default profile to take the ${moved.length} device(s) of "${p.name}"`, 'id');
          upsertAssignments(db, p.serverId, def.id, moved, at);
          enqueueAssign(db, p.serverId, def.id, moved, at);
        }
        deleteProfileRow(db, id);
        appendAudit(db, { actor, action: 'dep.profile.delete', target: id, outcome: 'success', detail: `profile "${p.name}" deleted; ${moved.length} device(s) moved to the default${def ? ` "${def.name}"` : ''}` });
      })();
      return { deleted: id, reassigned: moved.length, defaultProfileId: def?.id ?? null };
    },

    assign(profileId, serials) {
      const p = mustFind(profileId);
      const at = now();
      let result!: DepAssignResult;
      db.transaction(() => {
        result = doAssign(p, serials, at);
        appendAudit(db, { actor, action: 'dep.profile.assign-local', target: profileId, outcome: 'success', detail: `${result.assigned.length} device(s) assigned to "${p.name}" (queued), ${result.unchanged.length} already on it` });
      })();
      return result;
    },

    assignAllUnassigned(profileId) {
      const p = mustFind(profileId);
      const serials = unassignedSerials(db, p.serverId);
      if (serials.length === 0) return { profileId, assigned: [], unchanged: [] };
      return this.assign(profileId, serials);
    },

    applyDefaultToNewDevices(serverId) {
      serverName(serverId);
      const byUuid = new Map(listProfileRecords(db, serverId).filter((p) => p.profileUuid).map((p) => [p.profileUuid!, p.id]));
      const def = findDefaultProfile(db, serverId);
      const at = now();
      let adopted = 0;
      let assigned = 0;
      db.transaction(() => {
        const fresh: string[] = [];
        for (const d of listDeviceAssignments(db, serverId)) {
          if (d.profileId) continue;
          const known = d.appleProfileUuid ? byUuid.get(d.appleProfileUuid) : undefined;
          if (known && d.profileStatus !== 'removed') { adoptAssignment(db, serverId, d.serialNumber, known, at); adopted++; }
          else if (!d.enrolled) fresh.push(d.serialNumber);
        }
        if (def && fresh.length) {
          upsertAssignments(db, serverId, def.id, fresh, at);
          enqueueAssign(db, serverId, def.id, fresh, at);
          assigned = fresh.length;
        }
        if (adopted || assigned) appendAudit(db, { actor, action: 'dep.profile.default-new-devices', target: serverId, outcome: 'success', detail: `${adopted} adopted, ${assigned} assigned to the default` });
      })();
      return { adopted, assigned };
    },

    devices(serverId, profileId) {
      serverName(serverId);
      if (profileId) mustFind(profileId);
      return listDeviceAssignments(db, serverId, profileId);
    },

    outbox: (serverId) => listOutbox(db, serverId),

    retryErrors(serverId) {
      serverName(serverId);
      const at = now();
      let n = 0;
      db.transaction(() => {
        n = requeueErrors(db, serverId, at);
        db.prepare("UPDATE dep_profiles SET sync_state = 'pending', last_error = NULL, updated_at = ? WHERE server_id = ? AND sync_state = 'error'").run(at, serverId);
      })();
      return n;
    },

    async pushPending(serverId) {
      serverName(serverId);
      if (!opts.apiFor) throw new Error('no Device Assignment client is configured for pushing DEP profiles; upload the server token first');
      const api = await opts.apiFor(serverId);
      return pushPending(db, serverId, api, { actor, now: opts.now });
    },

    accountConfiguration(id) {
      const p = mustFind(id);
      const setup = p.mdmSettings.macosAccounts;
      if (!setup) return undefined;
      const sealed = sealedAdminHash(db, id);
      return buildTypedPlist(buildAccountConfiguration(setup, sealed ? box.open(sealed) : undefined));
    },
  };
}

export { DepProfileInputError, DepProfileValidationError };
