/**
 * macOS account setup of a DEP profile (Ivanti "macOS account setup assistant options" and "Set up
 * Managed macOS Admin Account" / "Set up Primary Account"), validated and turned into Apple's
 * `AccountConfiguration` command (schema `mdm/commands/account.configuration.yaml`, macOS 10.11+,
 * accepted only while the device awaits configuration — `await_device_configured: true`).
 */
import type { TypedPlistDict } from '../../profiles/plist-xml';
import type { DepProfileIssue } from '../profiles/issues';

/**
 * The managed admin account as stored (no password: only whether a hash exists and its
 * iteration count; the sealed `passwordHash` plist lives in its own column).
 */
export interface ManagedAdminAccount {
  /** Full Name (AutoSetupAdminAccounts `fullName`). */
  fullName: string;
  /** Account Name (AutoSetupAdminAccounts `shortName`). */
  accountName: string;
  /** "Hide managed administrator account in Users & Groups" (`hidden`). */
  hidden: boolean;
  /** PBKDF2 iterations of the stored hash; undefined until a password was set. */
  passwordIterations?: number;
}

/** Primary account prefill (macOS 10.15+). */
export interface PrimaryAccount {
  /** `PrimaryAccountFullName`. */
  fullName: string;
  /** `PrimaryAccountUserName` (short name). */
  shortName: string;
  /** "Prevent modification by end user" → `LockPrimaryAccountInfo`. */
  preventModification: boolean;
}

/** The Ivanti form section "macOS account setup assistant options" plus the two account sections. */
export interface MacAccountSetup {
  /** "Skip admin account creation": no managed admin account at all. */
  skipAdminAccountCreation: boolean;
  /** "Skip Primary Setup Account Creation" → `SkipPrimarySetupAccountCreation` (needs an admin account). */
  skipPrimaryAccountCreation: boolean;
  /** "Create primary accounts as regular users" → `SetPrimarySetupAccountAsRegularUser` (needs an admin account). */
  primaryAccountsAsRegularUsers: boolean;
  managedAdmin?: ManagedAdminAccount;
  primaryAccount?: PrimaryAccount;
}

/** Account setup with every option off: Setup Assistant creates the primary account as an admin. */
export function emptyAccountSetup(): MacAccountSetup {
  return { skipAdminAccountCreation: true, skipPrimaryAccountCreation: false, primaryAccountsAsRegularUsers: false };
}

/** True when the setup asks the MDM to send AccountConfiguration (any option or account set). */
export function accountSetupInUse(s: MacAccountSetup): boolean {
  return s.skipPrimaryAccountCreation || s.primaryAccountsAsRegularUsers || !!s.managedAdmin || !!s.primaryAccount;
}

/** macOS short-name rule: a letter or underscore, then letters, digits, `_`, `.`, `-`; at most 244 characters. */
export const SHORT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,243}$/;
const RESERVED_SHORT_NAMES = new Set(['root', 'daemon', 'nobody', 'admin', 'staff', 'wheel', 'guest', 'everyone']);

function err(field: string, rule: string, message: string, severity: 'error' | 'warning' = 'error'): DepProfileIssue {
  return { field, code: 'ACCOUNT_SETUP_INVALID', rule, message, severity, source: 'ivanti' };
}

function shortNameIssues(name: string, field: string): DepProfileIssue[] {
  if (name.trim() === '') return [err(field, 'SHORT_NAME_REQUIRED', 'the account name is required')];
  if (!SHORT_NAME.test(name)) return [err(field, 'SHORT_NAME_FORMAT', `"${name}" is not a macOS account name: start with a letter, then letters, digits, ".", "-" or "_" (no spaces)`)];
  if (RESERVED_SHORT_NAMES.has(name.toLowerCase())) return [err(field, 'SHORT_NAME_RESERVED', `"${name}" is a reserved macOS account or group name; choose another`)];
  return [];
}

/**
 * Password inputs of the admin account: typed twice in the form, passed to the service in memory
 * only. `undefined` password = keep the stored hash.
 */
export interface AdminPasswordInput {
  password?: string;
  confirmPassword?: string;
}

/**
 * Validates the account setup (`prefix` names fields, e.g. `macosAccounts`). Rules: Apple requires
 * an admin account (`AutoSetupAdminAccounts`) for SkipPrimarySetupAccountCreation and
 * SetPrimarySetupAccountAsRegularUser; "Skip admin account creation" excludes a managed admin;
 * passwords typed twice must match; a managed admin needs a password (new or already stored —
 * `hasStoredHash`); AccountConfiguration needs Await Device Configuration (`awaitDeviceConfigured`).
 */
export function validateAccountSetup(
  s: MacAccountSetup,
  ctx: { awaitDeviceConfigured: boolean; hasStoredHash: boolean; password?: AdminPasswordInput; prefix?: string },
): DepProfileIssue[] {
  const p = ctx.prefix ?? 'macosAccounts';
  const out: DepProfileIssue[] = [];
  if (s.skipAdminAccountCreation && s.managedAdmin) {
    out.push(err(`${p}.managedAdmin`, 'ADMIN_WITH_SKIP_ADMIN', '"Skip admin account creation" is selected, so no managed admin account can be set: clear one of them'));
  }
  if (s.skipPrimaryAccountCreation && !s.managedAdmin) {
    out.push(err(`${p}.skipPrimaryAccountCreation`, 'SKIP_PRIMARY_NEEDS_ADMIN', 'skipping primary account creation needs a managed admin account (Apple: AutoSetupAdminAccounts is required); set one up'));
  }
  if (s.primaryAccountsAsRegularUsers && !s.managedAdmin) {
    out.push(err(`${p}.primaryAccountsAsRegularUsers`, 'REGULAR_USER_NEEDS_ADMIN', 'creating primary accounts as regular users needs a managed admin account (Apple: AutoSetupAdminAccounts is required); set one up'));
  }
  if (s.skipPrimaryAccountCreation && s.primaryAccount) {
    out.push(err(`${p}.primaryAccount`, 'PRIMARY_WITH_SKIP_PRIMARY', 'primary account details do not apply when primary account creation is skipped: clear them'));
  }
  if (s.managedAdmin) {
    const a = s.managedAdmin;
    if (a.fullName.trim() === '') out.push(err(`${p}.managedAdmin.fullName`, 'FULL_NAME_REQUIRED', 'the admin account needs a full name'));
    out.push(...shortNameIssues(a.accountName, `${p}.managedAdmin.accountName`));
    const pw = ctx.password;
    if (pw?.password !== undefined || pw?.confirmPassword !== undefined) {
      if (!pw.password) out.push(err(`${p}.managedAdmin.password`, 'PASSWORD_REQUIRED', 'the admin password is empty'));
      else if (pw.password !== pw.confirmPassword) out.push(err(`${p}.managedAdmin.confirmPassword`, 'PASSWORD_MISMATCH', 'the two passwords differ: type the same password in Password and Confirm Password'));
      else if (pw.password.length < 8) out.push(err(`${p}.managedAdmin.password`, 'PASSWORD_SHORT', 'the admin password is shorter than 8 characters', 'warning'));
    } else if (!ctx.hasStoredHash) {
      out.push(err(`${p}.managedAdmin.password`, 'PASSWORD_REQUIRED', 'the managed admin account needs a password (Password and Confirm Password)'));
    }
  }
  if (s.primaryAccount) {
    if (s.primaryAccount.fullName.trim() === '') out.push(err(`${p}.primaryAccount.fullName`, 'FULL_NAME_REQUIRED', 'the primary account needs a full name'));
    out.push(...shortNameIssues(s.primaryAccount.shortName, `${p}.primaryAccount.shortName`));
    if (s.managedAdmin && s.primaryAccount.shortName === s.managedAdmin.accountName) {
      out.push(err(`${p}.primaryAccount.shortName`, 'SHORT_NAME_DUPLICATE', 'the primary account and the managed admin account need different account names'));
    }
  }
  if (accountSetupInUse(s) && !ctx.awaitDeviceConfigured) {
    out.push(err('awaitDeviceConfigured', 'ACCOUNT_SETUP_NEEDS_AWAIT', 'macOS account setup is sent while the Mac waits in Setup Assistant: turn on "Await Device Configuration"'));
  }
  return out;
}

/**
 * Builds Apple's `AccountConfiguration` command body for the setup. `passwordHashPlist` is the
 * stored SALTED-SHA512-PBKDF2 plist (required when a managed admin is set; throws Error otherwise).
 * With "Skip Primary Setup Account Creation" and a managed admin, `ManagedLocalUserShortName` is
 * the admin's short name (Ivanti: user-channel support for the managed admin).
 */
export function buildAccountConfiguration(s: MacAccountSetup, passwordHashPlist?: Buffer): TypedPlistDict {
  const cmd: TypedPlistDict = { RequestType: 'AccountConfiguration' };
  if (s.skipPrimaryAccountCreation) cmd.SkipPrimarySetupAccountCreation = true;
  if (s.primaryAccountsAsRegularUsers) cmd.SetPrimarySetupAccountAsRegularUser = true;
  if (s.managedAdmin) {
    if (!passwordHashPlist) throw new Error(`the managed admin account ${s.managedAdmin.accountName} has no password hash; set its password`);
    cmd.AutoSetupAdminAccounts = [{
      shortName: s.managedAdmin.accountName,
      fullName: s.managedAdmin.fullName,
      passwordHash: passwordHashPlist,
      hidden: s.managedAdmin.hidden,
    }];
    if (s.skipPrimaryAccountCreation) cmd.ManagedLocalUserShortName = s.managedAdmin.accountName;
  }
  if (s.primaryAccount && !s.skipPrimaryAccountCreation) {
    cmd.PrimaryAccountFullName = s.primaryAccount.fullName;
    cmd.PrimaryAccountUserName = s.primaryAccount.shortName;
    if (s.primaryAccount.preventModification) {
      cmd.LockPrimaryAccountInfo = true;
      cmd.DontAutoPopulatePrimaryAccountInfo = false;
    }
  }
  return cmd;
}
