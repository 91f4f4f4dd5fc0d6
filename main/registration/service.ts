/**
 * The registration service: users (local and LDAP-imported), Device Registration settings,
 * invitations with one-time registration PINs and QR codes, invitation templates and printable
 * PDF sheets, and verifyPin for the registration flow. Used by the CLI and the Electron IPC.
 *
 *   const reg = createRegistrationService(db, secretBox, 'cli:alice');
 *   reg.users.add({ email }) / list(search) / importCsv(text, { acceptValidRows }) / exportCsv()
 *   reg.settings.set({ pinLength: 8, serverUrl: 'https://mdm.example.com' })
 *   const { invitations, pdf } = await reg.invitations.invite(['alice@example.com'], { pdf: true })
 *   reg.verifyPin('alice@example.com', '12345678')  → { ok: true, … }
 *
 * Every change validates first and writes in one transaction together with its audit rows
 * (actions `registration.*`); PINs never reach the audit trail, the log or the database in clear.
 *
 * Tenant sync (main/sync): each change a tenant should see is queued with recordLocalChange in the
 * same transaction as the local write (both commit or neither), entity `user`, entity id the local
 * user id (mapped to the tenant account id once the create is acknowledged):
 * - users.add and CSV-created local users → `create` {emailAddress, firstName?, lastName?,
 *   accountSource LOCAL, sendInvite} (sendInvite only when the admin invites at creation);
 * - users.update of a local user changing email or names → `update` with the changed fields (role
 *   and language live only at the bench); CSV updates of names likewise;
 * - users.delete of a local user → `delete`;
 * - invitations.invite / resend → `invite` (the tenant sends or resends its invitation), for local
 *   and directory users alike; revoke has no tenant counterpart.
 * Directory (LDAP) users are never pushed as creates, updates or deletes: Ivanti imports them
 * from the LDAP server through its Connector ("For LDAP users … the user must be imported from the
 * LDAP server. For local users, that means adding a user" — Device Registration seed), and their
 * identity fields belong to the directory. Before queuing a change of a user the bench did not
 * create (directory users, pre-sync caches) the user is tied to the mirrored tenant account with
 * the same uid/email (bindUserToTenant). Users the sync pulls from the tenant appear here with
 * origin `tenant` (main/sync/local-links.ts).
 */
import crypto from 'node:crypto';
import type { SecretBox } from '../secrets';
import { appendAudit, type Db } from '../store';
import { recordLocalChange, type LocalChange } from '../sync';
import { bindUserToTenant } from '../sync/local-links';
import { RegistrationInputError, RegistrationStateError } from './errors';
import { combineDocuments, formatUtc, renderInvitation } from './invitation-content';
import {
  closeInvitation, countFailedAttempt, currentInvitation, dueForExpiry, insertInvitation, listInvitations, publicRow,
  reissueInvitation, requireInvitation, supersedeOpen, type StoredInvitation,
} from './invitations';
import { DEFAULT_PIN_HASH_PARAMS, generatePin, hashPin, pinMatches, type PinHashParams } from './pin';
import { pinKey } from './pin-key';
import { describeChanges, invitationNeedsPin, readSettings, registrationUrl, validateSettings, writeSettings } from './settings';
import { htmlToPdf } from './sheets-pdf';
import { PLACEHOLDERS, SECTION_FLAGS, validateTemplate } from './template-engine';
import { DEFAULT_TEMPLATES_DIR, getTemplate, resetTemplate, saveTemplate, sheetCss, type InvitationTemplate } from './templates';
import { parseEmail, parseLanguage, parseName, parseRole } from './user-fields';
import { parseUsersCsv, usersToCsv, type CsvRowError } from './users-csv';
import { deleteUserRow, findUser, insertUser, listUsers, replaceUser, requireUser } from './users';
import type {
  InvitationPlatform, InvitationRow, InvitationStatus, IssuedInvitation, Language, NewUserInput, PinCheck, RegistrationSettings,
  RegistrationSettingsPatch, RegistrationUser, UserPatch,
} from './types';

/** Options of createRegistrationService. */
export interface RegistrationServiceOptions {
  /** Clock (injectable for tests); default `() => new Date()`. */
  now?: () => Date;
  /** Directory of the shipped invitation templates; default resources/templates/invitation. */
  templatesDir?: string;
  /** Chromium for PDF sheets; default env STAGEBENCH_CHROMIUM or /usr/bin/chromium. */
  chromiumPath?: string;
  /** scrypt cost of PIN hashes; default N=2^14, r=8, p=1. */
  pinHashParams?: PinHashParams;
  /** Wrong PINs before an invitation locks; default 5. */
  maxPinAttempts?: number;
}

/** Result of a CSV import. `written` is false when rows were rejected and acceptValidRows was not given: then nothing changed. */
export interface UsersImportResult {
  /** Data rows read (header excluded). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows with at least one error. */
  rejected: number;
  errors: CsvRowError[];
  /** Ignored columns and similar remarks. */
  notes: string[];
  written: boolean;
}

/** Options of invite and resend. */
export interface InviteOptions {
  /** Template language; default the user's language. */
  language?: string;
  /** `ios` (default) or `macos`; `tvos` is refused (Apple TV registers through Apple Configurator-style staging). */
  platform?: string;
  /** Also print the invitation sheets to PDF (one A4 page per user). */
  pdf?: boolean;
}

/** Result of invite and resend: the issued invitations (PINs in clear, this once) and the PDF when asked for. */
export interface InviteResult {
  invitations: IssuedInvitation[];
  pdf?: Buffer;
}

/** The registration service. Errors: RegistrationInputError (exit 2, names the field), RegistrationStateError (exit 1). */
export interface RegistrationService {
  readonly users: {
    /** Users by email; `search` matches part of email, first or last name. */
    list(search?: string): RegistrationUser[];
    /** A user by id or email; throws RegistrationInputError when unknown. */
    get(ref: string): RegistrationUser;
    /** Adds a local user; audits `registration.user.created`. Throws RegistrationInputError for a bad field or a taken email. */
    add(input: NewUserInput): RegistrationUser;
    /** Changes a user; identity fields of LDAP users are read-only (RegistrationInputError naming the field). */
    update(ref: string, patch: UserPatch): RegistrationUser;
    /** Deletes a user and their invitations; audits `registration.user.deleted`. */
    delete(ref: string): RegistrationUser;
    /** Imports users from CSV text (see users-csv.ts); all or nothing unless `acceptValidRows`. Audits `registration.user.imported` per user. */
    importCsv(text: string, opts?: { acceptValidRows?: boolean }): UsersImportResult;
    /** Every user as CSV text. */
    exportCsv(): string;
  };
  readonly settings: {
    get(): RegistrationSettings;
    /** Validates and applies a partial change; audits `registration.settings.changed` with the changed fields. */
    set(patch: RegistrationSettingsPatch): RegistrationSettings;
    /** The registration URL invitations would carry now, or null while the server URL is unset. */
    registrationUrl(): string | null;
    /** Whether invitations carry a registration PIN under the current settings. */
    invitationNeedsPin(): boolean;
  };
  readonly templates: {
    /** The template in force for a language. */
    get(language: string): InvitationTemplate;
    /** Validates and stores the admin's template. */
    save(language: string, html: string): InvitationTemplate;
    /** Back to the shipped template. */
    reset(language: string): InvitationTemplate;
    /** Placeholders and section flags with what they mean (for the editor). */
    reference(): { placeholders: Record<string, string>; sections: Record<string, string> };
    /**
     * Live preview: `html` (default the template in force) rendered for a sample user with the
     * current settings and a sample PIN, as a complete HTML document. Throws RegistrationInputError
     * when `html` breaks a template rule.
     */
    preview(language: string, html?: string, platform?: string): Promise<string>;
  };
  readonly invitations: {
    /**
     * Invites users (ids or emails): a new invitation each, replacing any open one; a fresh PIN
     * when the settings call for one. Validates everything first; renders (and prints the PDF)
     * before writing, so a failure changes nothing. Audits `registration.invitation.sent`.
     */
    invite(users: readonly string[], opts?: InviteOptions): Promise<InviteResult>;
    /** Invitations newest first; expires due PINs first (audited `registration.pin.expired`). */
    list(filter?: { user?: string; status?: string }): InvitationRow[];
    /** One invitation. */
    get(id: string): InvitationRow;
    /** New PIN for an open, expired or locked invitation; the old PIN stops working. Audits `registration.invitation.resent`. */
    resend(id: string, opts?: Pick<InviteOptions, 'pdf'>): Promise<InviteResult>;
    /** Revokes an open, expired or locked invitation. Audits `registration.invitation.revoked`. */
    revoke(id: string): InvitationRow;
  };
  /**
   * The registration flow's PIN check for `email`: against the user's current invitation; a match
   * marks it used (audit `registration.pin.used`, detail "PIN used"); a PIN past its lifetime is
   * marked expired (audit `registration.pin.expired`, "PIN expired"); used, revoked or locked
   * invitations are refused; wrong PINs count toward the lock. Never throws for a wrong PIN.
   */
  verifyPin(email: string, pin: string): PinCheck;
  /** Prints issued invitations to one PDF, one A4 page each (Chromium). */
  sheetsPdf(invitations: readonly Pick<IssuedInvitation, 'html' | 'language'>[]): Promise<Buffer>;
}

const STATUSES: InvitationStatus[] = ['sent', 'used', 'expired', 'revoked', 'superseded', 'locked'];

/**
 * Builds the registration service over the cache `db` (migration 4 applied) and the secret box
 * (seals the PIN key; opened only by invite, resend and verifyPin). `actor` is recorded in the
 * audit trail (e.g. "cli:alice", "app:alice").
 */
export function createRegistrationService(db: Db, box: SecretBox, actor: string, opts: RegistrationServiceOptions = {}): RegistrationService {
  const now = opts.now ?? (() => new Date());
  const templatesDir = opts.templatesDir ?? DEFAULT_TEMPLATES_DIR;
  const hashParams = opts.pinHashParams ?? DEFAULT_PIN_HASH_PARAMS;
  const maxAttempts = opts.maxPinAttempts ?? 5;
  const audit = (action: string, target: string, outcome: 'success' | 'failure', detail: string, at: string): void => {
    appendAudit(db, { actor, action, target, outcome, detail, at });
  };
  /** Queues a tenant change (call inside the write transaction). */
  const push = (change: Omit<LocalChange, 'actor' | 'entity'>): void => {
    recordLocalChange(db, { ...change, entity: 'user', actor });
  };
  /** The `user/create` payload of a local user. */
  const createPayload = (u: RegistrationUser, sendInvite: boolean): Record<string, unknown> => ({
    emailAddress: u.email, firstName: u.firstName || undefined, lastName: u.lastName || undefined, accountSource: 'LOCAL', sendInvite,
  });
  /** Tenant fields (email, names) that differ between two versions of a user, as a `user/update` payload. */
  const tenantPatch = (before: RegistrationUser, after: RegistrationUser): Record<string, unknown> => {
    const p: Record<string, unknown> = {};
    if (after.email !== before.email) p.emailAddress = after.email;
    if (after.firstName !== before.firstName) p.firstName = after.firstName;
    if (after.lastName !== before.lastName) p.lastName = after.lastName;
    return p;
  };
  const css = (): string => sheetCss(templatesDir);
  const language = (v: string | undefined, fallback: Language): Language => parseLanguage(v, 'language', fallback);

  // ---- users ---------------------------------------------------------------------------------

  const addUser = (input: NewUserInput): RegistrationUser => {
    const settings = readSettings(db);
    const at = now().toISOString();
    const user: RegistrationUser = {
      id: crypto.randomUUID(),
      email: parseEmail(input.email),
      firstName: parseName(input.firstName, 'firstName'),
      lastName: parseName(input.lastName, 'lastName'),
      source: 'local',
      ldapDn: null,
      role: parseRole(input.role, 'role'),
      language: language(input.language, settings.defaultLanguage),
      createdAt: at,
      updatedAt: at,
    };
    if (findUser(db, user.email)) throw new RegistrationInputError('email', `a user with email ${user.email} already exists`);
    if (input.sendInvite !== undefined && typeof input.sendInvite !== 'boolean') throw new RegistrationInputError('sendInvite', 'sendInvite must be true or false');
    const sendInvite = input.sendInvite === true;
    db.transaction(() => {
      insertUser(db, user);
      push({ entityId: user.id, op: 'create', payload: createPayload(user, sendInvite) });
      audit('registration.user.created', user.email, 'success', `local user, role ${user.role}${sendInvite ? ', tenant invitation requested' : ''}`, at);
    })();
    return user;
  };

  const updateUser = (ref: string, patch: UserPatch): RegistrationUser => {
    const user = requireUser(db, ref);
    const known = new Set(['email', 'firstName', 'lastName', 'role', 'language']);
    for (const k of Object.keys(patch)) if (!known.has(k)) throw new RegistrationInputError(k, `${k} is not a user field that can be changed`);
    if (user.source === 'ldap') {
      for (const k of ['email', 'firstName', 'lastName'] as const) {
        if (patch[k] !== undefined) throw new RegistrationInputError(k, `${k} of ${user.email} is read-only: the user comes from the LDAP directory; change it there and import again`);
      }
    }
    const next: RegistrationUser = {
      ...user,
      email: patch.email !== undefined ? parseEmail(patch.email) : user.email,
      firstName: patch.firstName !== undefined ? parseName(patch.firstName, 'firstName') : user.firstName,
      lastName: patch.lastName !== undefined ? parseName(patch.lastName, 'lastName') : user.lastName,
      role: patch.role !== undefined ? parseRole(patch.role, 'role') : user.role,
      language: patch.language !== undefined ? language(patch.language, user.language) : user.language,
      updatedAt: now().toISOString(),
    };
    const clash = next.email !== user.email ? findUser(db, next.email) : null;
    if (clash) throw new RegistrationInputError('email', `a user with email ${next.email} already exists`);
    const changed = (['email', 'firstName', 'lastName', 'role', 'language'] as const).filter((k) => next[k] !== user[k]);
    if (!changed.length) return user;
    const tenantChange = user.source === 'local' ? tenantPatch(user, next) : {};
    db.transaction(() => {
      replaceUser(db, next);
      if (Object.keys(tenantChange).length) {
        bindUserToTenant(db, user.id, user.email);
        push({ entityId: user.id, op: 'update', payload: tenantChange });
      }
      audit('registration.user.updated', next.email, 'success', `changed ${changed.join(', ')}`, next.updatedAt);
    })();
    return next;
  };

  const deleteUser = (ref: string): RegistrationUser => {
    const user = requireUser(db, ref);
    const at = now().toISOString();
    try {
      db.transaction(() => {
        if (user.source === 'local') bindUserToTenant(db, user.id, user.email);
        deleteUserRow(db, user.id);
        if (user.source === 'local') push({ entityId: user.id, op: 'delete' });
        audit('registration.user.deleted', user.email, 'success', `${user.source} user`, at);
      })();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new RegistrationStateError(`${user.email} is still referenced (e.g. as the owner of devices in the inventory); reassign or remove those first`);
      }
      throw err;
    }
    return user;
  };

  const importCsv = (text: string, o: { acceptValidRows?: boolean } = {}): UsersImportResult => {
    const settings = readSettings(db);
    const parsed = parseUsersCsv(text, settings.defaultLanguage);
    const errors = [...parsed.errors];
    const present = new Set(parsed.present);
    const at = now().toISOString();
    type Plan = { kind: 'create' | 'update' | 'same'; user: RegistrationUser; line: number; before?: RegistrationUser };
    const plans: Plan[] = [];
    for (const row of parsed.rows) {
      const existing = findUser(db, row.email);
      if (!existing) {
        plans.push({ kind: 'create', line: row.line, user: { id: crypto.randomUUID(), ...row, createdAt: at, updatedAt: at } });
        continue;
      }
      if (existing.source !== row.source) {
        errors.push({ line: row.line, field: 'source', message: `${row.email} exists as a ${existing.source} user; an import cannot turn it into a ${row.source} user (delete it first)` });
        continue;
      }
      const next: RegistrationUser = { ...existing };
      for (const k of ['firstName', 'lastName', 'ldapDn', 'role', 'language'] as const) {
        if (present.has(k)) (next as Record<typeof k, unknown>)[k] = row[k];
      }
      const same = (['firstName', 'lastName', 'ldapDn', 'role', 'language'] as const).every((k) => next[k] === existing[k]);
      plans.push({ kind: same ? 'same' : 'update', line: row.line, user: same ? existing : { ...next, updatedAt: at }, before: existing });
    }
    errors.sort((a, b) => a.line - b.line);
    const rejectedLines = new Set(errors.map((e) => e.line));
    const result: UsersImportResult = {
      rows: parsed.rows.length + new Set(parsed.errors.map((e) => e.line)).size,
      created: 0, updated: 0, unchanged: 0,
      rejected: rejectedLines.size,
      errors,
      notes: parsed.notes,
      written: false,
    };
    if (errors.length && !o.acceptValidRows) return result;
    db.transaction(() => {
      for (const p of plans) {
        if (p.kind === 'create') {
          insertUser(db, p.user);
          if (p.user.source === 'local') push({ entityId: p.user.id, op: 'create', payload: createPayload(p.user, false) });
          audit('registration.user.imported', p.user.email, 'success', `created ${p.user.source} user from CSV line ${p.line}`, at);
          result.created++;
        } else if (p.kind === 'update') {
          replaceUser(db, p.user);
          const change = p.before && p.user.source === 'local' ? tenantPatch(p.before, p.user) : {};
          if (Object.keys(change).length) {
            bindUserToTenant(db, p.user.id, p.user.email);
            push({ entityId: p.user.id, op: 'update', payload: change });
          }
          audit('registration.user.imported', p.user.email, 'success', `updated ${p.user.source} user from CSV line ${p.line}`, at);
          result.updated++;
        } else {
          result.unchanged++;
        }
      }
      if (errors.length) audit('registration.user.imported', '', 'failure', `${rejectedLines.size} CSV row(s) rejected and skipped (lines ${[...rejectedLines].join(', ')})`, at);
    })();
    result.written = true;
    return result;
  };

  // ---- settings ------------------------------------------------------------------------------

  const setSettings = (patch: RegistrationSettingsPatch): RegistrationSettings => {
    const before = readSettings(db);
    const after = validateSettings(before, patch);
    const changes = describeChanges(before, after);
    if (!changes.length) return before;
    const at = now().toISOString();
    db.transaction(() => {
      writeSettings(db, after, at);
      audit('registration.settings.changed', 'Device Registration', 'success', changes.join('; '), at);
    })();
    return readSettings(db);
  };

  // ---- invitations ---------------------------------------------------------------------------

  const parsePlatform = (v: string | undefined): InvitationPlatform => {
    const p = (v ?? 'ios').trim().toLowerCase();
    if (p === 'ios' || p === 'ipados' || p === 'iphone' || p === 'ipad') return 'ios';
    if (p === 'macos' || p === 'mac') return 'macos';
    if (p === 'tvos' || p === 'appletv' || p === 'apple-tv') {
      throw new RegistrationInputError('platform', 'an Apple TV is not invited: it registers only through Apple Configurator-style staging; stage it at the bench (stagebench stage)');
    }
    throw new RegistrationInputError('platform', `platform "${v}" must be ios or macos`);
  };

  const checkInvitable = (user: RegistrationUser, field: string): void => {
    if (user.role === 'none') {
      throw new RegistrationInputError(field, `${user.email} has no User Portal role; give it the User Portal role (with Device Registration) before inviting (stagebench users add … --role device-registration)`);
    }
  };

  /** Fresh PIN + hash + expiry under the current settings, or nulls when no PIN is called for. */
  const freshPin = (settings: RegistrationSettings, issuedAt: Date): { pin: string | null; hash: string | null; expiresAt: string | null } => {
    if (!invitationNeedsPin(settings)) return { pin: null, hash: null, expiresAt: null };
    const key = pinKey(db, box, issuedAt);
    const pin = generatePin(settings.pinLength);
    return { pin, hash: hashPin(pin, key, hashParams), expiresAt: new Date(issuedAt.getTime() + settings.pinLifetimeHours * 3_600_000).toISOString() };
  };

  const issue = async (row: StoredInvitation, user: RegistrationUser, settings: RegistrationSettings, pin: string | null): Promise<IssuedInvitation> => {
    const content = await renderInvitation({
      user, settings, platform: row.platform, language: row.language, registrationUrl: row.registrationUrl, pin,
      pinExpiresAt: row.pinExpiresAt, template: getTemplate(db, row.language, templatesDir).html, css: css(),
    });
    return { ...publicRow(row), pin, ...content };
  };

  const printSheets = async (docs: readonly Pick<IssuedInvitation, 'html' | 'language'>[]): Promise<Buffer> => {
    if (!docs.length) throw new RegistrationInputError('invitations', 'no invitations to print');
    return htmlToPdf(combineDocuments(docs.map((d) => d.html), docs[0].language, css()), { chromiumPath: opts.chromiumPath });
  };

  const invite = async (refs: readonly string[], o: InviteOptions = {}): Promise<InviteResult> => {
    if (!refs.length) throw new RegistrationInputError('user', 'name at least one user to invite (email or id)');
    const platform = parsePlatform(o.platform);
    const settings = readSettings(db);
    const url = registrationUrl(settings);
    const unknown = refs.filter((r) => !findUser(db, r));
    if (unknown.length) throw new RegistrationInputError('user', `no user ${unknown.map((u) => `"${u}"`).join(', ')}; add or import them first (stagebench users add / users import)`);
    const users = [...new Map(refs.map((r) => requireUser(db, r)).map((u) => [u.id, u])).values()];
    users.forEach((u) => checkInvitable(u, 'user'));
    const lang = o.language !== undefined ? language(o.language, settings.defaultLanguage) : undefined;
    const issuedAt = now();
    const at = issuedAt.toISOString();
    const issued: IssuedInvitation[] = [];
    const rows: StoredInvitation[] = [];
    for (const user of users) {
      const p = freshPin(settings, issuedAt);
      const row: StoredInvitation = {
        id: crypto.randomUUID(), userId: user.id, email: user.email, platform, language: lang ?? user.language, registrationUrl: url,
        hasPin: p.pin !== null, pinExpiresAt: p.expiresAt, status: 'sent', failedAttempts: 0, resendCount: 0, createdAt: at,
        lastSentAt: at, closedAt: null, pinHash: p.hash,
      };
      rows.push(row);
      issued.push(await issue(row, user, settings, p.pin));
    }
    const pdf = o.pdf ? await printSheets(issued) : undefined;
    db.transaction(() => {
      for (const row of rows) {
        const replaced = supersedeOpen(db, row.userId, at);
        insertInvitation(db, row);
        bindUserToTenant(db, row.userId, row.email);
        push({ entityId: row.userId, op: 'invite' });
        const pinNote = row.hasPin ? `with registration PIN (expires ${formatUtc(row.pinExpiresAt!)})` : 'without registration PIN';
        audit('registration.invitation.sent', row.email, 'success',
          `invitation ${row.id}, ${row.platform}, ${row.language}, ${pinNote}${replaced.length ? `; replaces ${replaced.join(', ')}` : ''}${o.pdf ? '; printed to PDF' : ''}`, at);
      }
    })();
    return { invitations: issued, pdf };
  };

  const expireDue = (): void => {
    const at = now().toISOString();
    const due = dueForExpiry(db, at);
    if (!due.length) return;
    db.transaction(() => {
      for (const inv of due) {
        closeInvitation(db, inv.id, 'expired', at);
        audit('registration.pin.expired', inv.email, 'success', `PIN expired (invitation ${inv.id}, lifetime ended ${formatUtc(inv.pinExpiresAt!)})`, at);
      }
    })();
  };

  const reopenable = (inv: StoredInvitation, action: string): void => {
    const why: Partial<Record<InvitationStatus, string>> = {
      used: 'its PIN was already used to register a device; invite the user again for another device',
      revoked: 'it was revoked; invite the user again',
      superseded: 'a newer invitation replaced it; resend or revoke that one (stagebench invitations list)',
    };
    const reason = why[inv.status];
    if (reason) throw new RegistrationStateError(`cannot ${action} invitation ${inv.id}: ${reason}`);
  };

  const resend = async (id: string, o: Pick<InviteOptions, 'pdf'> = {}): Promise<InviteResult> => {
    const inv = requireInvitation(db, id);
    reopenable(inv, 'resend');
    const user = requireUser(db, inv.userId);
    checkInvitable(user, 'id');
    const settings = readSettings(db);
    const url = registrationUrl(settings);
    const issuedAt = now();
    const at = issuedAt.toISOString();
    const p = freshPin(settings, issuedAt);
    const row: StoredInvitation = {
      ...inv, registrationUrl: url, hasPin: p.pin !== null, pinExpiresAt: p.expiresAt, status: 'sent', failedAttempts: 0,
      resendCount: inv.resendCount + 1, lastSentAt: at, closedAt: null, pinHash: p.hash,
    };
    const issued = await issue(row, user, settings, p.pin);
    const pdf = o.pdf ? await printSheets([issued]) : undefined;
    db.transaction(() => {
      const fresh = requireInvitation(db, id);
      reopenable(fresh, 'resend');
      reissueInvitation(db, id, url, p.hash, p.expiresAt, at);
      bindUserToTenant(db, user.id, user.email);
      push({ entityId: user.id, op: 'invite' });
      audit('registration.invitation.resent', user.email, 'success',
        `invitation ${id}, resend ${row.resendCount}, ${p.pin ? `new registration PIN (expires ${formatUtc(p.expiresAt!)}); previous PIN invalidated` : 'without registration PIN'}`, at);
    })();
    return { invitations: [issued], pdf };
  };

  const revoke = (id: string): InvitationRow => {
    const inv = requireInvitation(db, id);
    reopenable(inv, 'revoke');
    const at = now().toISOString();
    db.transaction(() => {
      closeInvitation(db, id, 'revoked', at);
      audit('registration.invitation.revoked', inv.email, 'success', `invitation ${id} revoked (was ${inv.status})`, at);
    })();
    return publicRow(requireInvitation(db, id));
  };

  const verifyPin = (email: string, pin: string): PinCheck => {
    const at = now().toISOString();
    const target = typeof email === 'string' ? email.trim().toLowerCase() : '';
    return db.transaction((): PinCheck => {
      const user = target ? findUser(db, target) : null;
      if (!user) {
        audit('registration.pin.rejected', target, 'failure', 'no such user', at);
        return { ok: false, reason: 'unknown-user' };
      }
      const inv = currentInvitation(db, user.id);
      if (!inv) {
        audit('registration.pin.rejected', user.email, 'failure', 'no invitation', at);
        return { ok: false, reason: 'no-invitation' };
      }
      if (inv.status !== 'sent') {
        const reason = inv.status as Exclude<InvitationStatus, 'sent'>;
        audit(reason === 'expired' ? 'registration.pin.expired' : 'registration.pin.rejected', user.email, 'failure',
          `${reason === 'expired' ? 'PIN expired' : `PIN refused: invitation ${reason}`} (invitation ${inv.id})`, at);
        return { ok: false, reason, invitationId: inv.id };
      }
      if (!inv.pinHash || !inv.pinExpiresAt) {
        audit('registration.pin.rejected', user.email, 'failure', `invitation ${inv.id} has no registration PIN`, at);
        return { ok: false, reason: 'no-pin', invitationId: inv.id };
      }
      if (inv.pinExpiresAt <= at) {
        closeInvitation(db, inv.id, 'expired', at);
        audit('registration.pin.expired', user.email, 'failure', `PIN expired (invitation ${inv.id}, lifetime ended ${formatUtc(inv.pinExpiresAt)})`, at);
        return { ok: false, reason: 'expired', invitationId: inv.id };
      }
      const candidate = typeof pin === 'string' ? pin.trim() : '';
      if (/^\d{1,64}$/.test(candidate) && pinMatches(candidate, inv.pinHash, pinKey(db, box, now()))) {
        closeInvitation(db, inv.id, 'used', at);
        audit('registration.pin.used', user.email, 'success', `PIN used (invitation ${inv.id})`, at);
        return { ok: true, invitationId: inv.id, userId: user.id, email: user.email };
      }
      const attempts = countFailedAttempt(db, inv.id);
      if (attempts >= maxAttempts) {
        closeInvitation(db, inv.id, 'locked', at);
        audit('registration.pin.rejected', user.email, 'failure', `wrong PIN (attempt ${attempts} of ${maxAttempts}); invitation ${inv.id} locked — resend it`, at);
        return { ok: false, reason: 'locked', invitationId: inv.id };
      }
      audit('registration.pin.rejected', user.email, 'failure', `wrong PIN (attempt ${attempts} of ${maxAttempts}, invitation ${inv.id})`, at);
      return { ok: false, reason: 'mismatch', invitationId: inv.id };
    })();
  };

  // ---- templates -----------------------------------------------------------------------------

  const preview = async (lang: string, html?: string, platform?: string): Promise<string> => {
    const l = language(lang, 'en');
    const template = html ?? getTemplate(db, l, templatesDir).html;
    validateTemplate(template);
    const settings = readSettings(db);
    const sample = { ...settings, serverUrl: settings.serverUrl ?? 'https://mdm.example.com' };
    const url = settings.serverUrl ? registrationUrl(settings) : registrationUrl(sample);
    const pin = invitationNeedsPin(settings) ? '1234567890123'.slice(0, settings.pinLength) : null;
    const expires = pin ? new Date(now().getTime() + settings.pinLifetimeHours * 3_600_000).toISOString() : null;
    const content = await renderInvitation({
      user: { email: 'alex.example@example.com', firstName: 'Alex', lastName: 'Example', source: 'local' },
      settings: sample, platform: parsePlatform(platform), language: l, registrationUrl: url, pin, pinExpiresAt: expires, template, css: css(),
    });
    return content.html;
  };

  return {
    users: {
      list: (search) => listUsers(db, search),
      get: (ref) => requireUser(db, ref),
      add: addUser,
      update: updateUser,
      delete: deleteUser,
      importCsv,
      exportCsv: () => usersToCsv(listUsers(db)),
    },
    settings: {
      get: () => readSettings(db),
      set: setSettings,
      registrationUrl: () => {
        const s = readSettings(db);
        return s.serverUrl || s.registrationUrlStyle === 'custom' ? registrationUrl(s) : null;
      },
      invitationNeedsPin: () => invitationNeedsPin(readSettings(db)),
    },
    templates: {
      get: (lang) => getTemplate(db, language(lang, 'en'), templatesDir),
      save: (lang, html) => {
        const l = language(lang, 'en');
        const at = now().toISOString();
        db.transaction(() => {
          saveTemplate(db, l, html, at);
          audit('registration.template.saved', l, 'success', `invitation template ${l} saved (${html.length} characters)`, at);
        })();
        return getTemplate(db, l, templatesDir);
      },
      reset: (lang) => {
        const l = language(lang, 'en');
        const at = now().toISOString();
        db.transaction(() => {
          if (resetTemplate(db, l)) audit('registration.template.reset', l, 'success', `invitation template ${l} reset to the shipped one`, at);
        })();
        return getTemplate(db, l, templatesDir);
      },
      reference: () => ({ placeholders: { ...PLACEHOLDERS }, sections: { ...SECTION_FLAGS } }),
      preview,
    },
    invitations: {
      invite,
      list: (filter = {}) => {
        expireDue();
        const status = filter.status?.trim().toLowerCase();
        if (status && !STATUSES.includes(status as InvitationStatus)) throw new RegistrationInputError('status', `status must be one of ${STATUSES.join(', ')}, not "${filter.status}"`);
        const userId = filter.user ? requireUser(db, filter.user).id : undefined;
        return listInvitations(db, { userId, status: status as InvitationStatus | undefined });
      },
      get: (id) => {
        expireDue();
        return publicRow(requireInvitation(db, id));
      },
      resend,
      revoke,
    },
    verifyPin,
    sheetsPdf: printSheets,
  };
}
