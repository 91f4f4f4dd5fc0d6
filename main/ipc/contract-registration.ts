/**
 * Schemas of the Users & Invitations channels (registration users, Device Registration settings,
 * invitation templates, invitations with one-time PINs and QR codes, printable sheets), spread into
 * the one channel map in ./contract. `users:import-csv` stays in ./contract (it predates this file).
 *
 * Field errors: handlers-registration.ts turns the service's RegistrationInputError into an error
 * envelope whose code is `E_FIELD_<FIELD>` (`pinLength` → `E_FIELD_PIN_LENGTH`), so forms can put
 * the service's message under the field it names (renderer/src/pages/users/field-errors.ts).
 *
 * PINs cross the boundary only in the results of `invitations:invite` and `invitations:resend`
 * (shown once by the renderer, never stored there) and inside the sheets sent back for printing.
 */
import { z } from 'zod';
import {
  LANGUAGES, REQUIREMENT_LABELS, type InvitationRow, type IssuedInvitation, type RegistrationRequirement, type RegistrationSettings,
  type RegistrationUser,
} from '../registration/types';

const text = (max = 1000) => z.string().max(max);
const ref = z.string().min(1, 'must not be empty').max(300);
const noInput = z.union([z.undefined(), z.null(), z.strictObject({})]);
const REQUIREMENTS = Object.keys(REQUIREMENT_LABELS) as [RegistrationRequirement, ...RegistrationRequirement[]];
const ROLES = ['none', 'user-portal', 'device-registration'] as const;
const STATUSES = ['sent', 'used', 'expired', 'revoked', 'superseded', 'locked'] as const;

/** Largest invitation template accepted over IPC (the service's own limit is 256 KiB). */
export const MAX_TEMPLATE_INPUT = 300_000;
/** Most invitation sheets printed in one PDF. */
export const MAX_SHEETS = 500;

/** `RegistrationUser` (main/registration/types.ts). */
export const registrationUserSchema: z.ZodType<RegistrationUser> = z.object({
  id: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  source: z.enum(['local', 'ldap']),
  ldapDn: z.string().nullable(),
  role: z.enum(ROLES),
  language: z.enum(LANGUAGES),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const invitationFields = {
  id: z.string(),
  userId: z.string(),
  email: z.string(),
  platform: z.enum(['ios', 'macos']),
  language: z.enum(LANGUAGES),
  registrationUrl: z.string(),
  hasPin: z.boolean(),
  pinExpiresAt: z.string().nullable(),
  status: z.enum(STATUSES),
  failedAttempts: z.number().int(),
  resendCount: z.number().int(),
  createdAt: z.string(),
  lastSentAt: z.string(),
  closedAt: z.string().nullable(),
};

/** `InvitationRow` (never the PIN). */
export const invitationRowSchema: z.ZodType<InvitationRow> = z.object(invitationFields);

/** `IssuedInvitation`: the row plus the PIN in clear (this once), QR PNG data URLs and the rendered sheet. */
export const issuedInvitationSchema: z.ZodType<IssuedInvitation> = z.object({
  ...invitationFields,
  pin: z.string().nullable(),
  mirpUrl: z.string().nullable(),
  registrationQr: z.string(),
  mirpQr: z.string().nullable(),
  serverEntry: z.string(),
  html: z.string(),
});

/** `RegistrationSettings`. */
export const registrationSettingsSchema: z.ZodType<RegistrationSettings> = z.object({
  serverUrl: z.string().nullable(),
  registrationUrlStyle: z.enum(['epmm', 'neurons', 'custom']),
  customRegistrationUrl: z.string().nullable(),
  pinLength: z.number().int(),
  pinLifetimeHours: z.number().int(),
  inAppRequirement: z.enum(REQUIREMENTS),
  webRequirement: z.enum(REQUIREMENTS),
  silentInAppOnly: z.boolean(),
  silentInAppMinutes: z.number().int(),
  samlWebRegistration: z.boolean(),
  emailIfProfileNotInstalled: z.boolean(),
  serverNameLookup: z.boolean(),
  defaultLanguage: z.enum(LANGUAGES),
  updatedAt: z.string(),
});

/** Settings with what follows from them: the registration URL invitations carry (null until the server URL is set) and whether they carry a PIN. */
export const registrationSettingsViewSchema = z.object({
  settings: registrationSettingsSchema,
  registrationUrl: z.string().nullable(),
  invitationNeedsPin: z.boolean(),
});

/** `settings.set` patch: shape only; ranges and URL forms are the service's checks (field errors). */
export const registrationSettingsPatchSchema = z.strictObject({
  serverUrl: text(2000).nullable().optional(),
  registrationUrlStyle: z.enum(['epmm', 'neurons', 'custom']).optional(),
  customRegistrationUrl: text(2000).nullable().optional(),
  pinLength: z.number().optional(),
  pinLifetimeHours: z.number().optional(),
  inAppRequirement: z.enum(REQUIREMENTS).optional(),
  webRequirement: z.enum(REQUIREMENTS).optional(),
  silentInAppOnly: z.boolean().optional(),
  silentInAppMinutes: z.number().optional(),
  samlWebRegistration: z.boolean().optional(),
  emailIfProfileNotInstalled: z.boolean().optional(),
  serverNameLookup: z.boolean().optional(),
  defaultLanguage: z.enum(LANGUAGES).optional(),
});

const templateSchema = z.object({ language: z.enum(LANGUAGES), html: z.string(), custom: z.boolean(), updatedAt: z.string().nullable() });
const language = z.enum(LANGUAGES);
const platform = z.enum(['ios', 'macos']);
const fileOut = z.object({ filename: z.string(), mimeType: z.string(), base64: z.string() });

/** The registration channels. */
export const registrationChannels = {
  'users:list': {
    summary: 'registration users by email; search matches email, first or last name',
    input: z.union([z.undefined(), z.null(), z.strictObject({ search: text(200).optional() })]),
    output: z.array(registrationUserSchema),
  },
  'users:add': {
    summary: 'add a local registration user',
    input: z.strictObject({
      email: text(320),
      firstName: text(200).optional(),
      lastName: text(200).optional(),
      role: z.enum(ROLES).optional(),
      language: language.optional(),
    }),
    output: registrationUserSchema,
  },
  'users:update': {
    summary: 'change a user (identity fields of LDAP users are read-only)',
    input: z.strictObject({
      user: ref,
      patch: z.strictObject({
        email: text(320).optional(),
        firstName: text(200).optional(),
        lastName: text(200).optional(),
        role: z.enum(ROLES).optional(),
        language: language.optional(),
      }),
    }),
    output: registrationUserSchema,
  },
  'users:delete': { summary: 'delete a user and their invitations', input: z.strictObject({ user: ref }), output: registrationUserSchema },
  'users:export-csv': { summary: 'every registration user as CSV', input: noInput, output: fileOut.extend({ rows: z.number().int() }) },
  'registration:settings-get': { summary: 'Device Registration settings', input: noInput, output: registrationSettingsViewSchema },
  'registration:settings-set': {
    summary: 'validate and change Device Registration settings',
    input: registrationSettingsPatchSchema,
    output: registrationSettingsViewSchema,
  },
  'registration:template-get': {
    summary: 'the invitation template in force for a language, with the placeholders and section flags it may use',
    input: z.strictObject({ language }),
    output: z.object({ template: templateSchema, placeholders: z.record(z.string(), z.string()), sections: z.record(z.string(), z.string()) }),
  },
  'registration:template-save': {
    summary: 'validate and save the invitation template of a language',
    input: z.strictObject({ language, html: text(MAX_TEMPLATE_INPUT).min(1, 'must not be empty') }),
    output: templateSchema,
  },
  'registration:template-reset': { summary: 'back to the shipped invitation template', input: z.strictObject({ language }), output: templateSchema },
  'registration:template-preview': {
    summary: 'live preview of a template for a sample user (HTML document)',
    input: z.strictObject({ language, html: text(MAX_TEMPLATE_INPUT).optional(), platform: platform.optional() }),
    output: z.object({ html: z.string() }),
  },
  'invitations:invite': {
    summary: 'invite users (ids or emails): one invitation each with a one-time PIN shown once',
    input: z.strictObject({ users: z.array(ref).min(1, 'choose at least one user').max(MAX_SHEETS), language: language.optional(), platform: platform.optional() }),
    output: z.object({ invitations: z.array(issuedInvitationSchema) }),
  },
  'invitations:list': {
    summary: 'invitations, newest first',
    input: z.union([z.undefined(), z.null(), z.strictObject({ user: text(300).optional(), status: z.enum(STATUSES).optional() })]),
    output: z.array(invitationRowSchema),
  },
  'invitations:resend': {
    summary: 'a new PIN for an open, expired or locked invitation (shown once)',
    input: z.strictObject({ id: ref }),
    output: z.object({ invitations: z.array(issuedInvitationSchema) }),
  },
  'invitations:revoke': { summary: 'revoke an open, expired or locked invitation', input: z.strictObject({ id: ref }), output: invitationRowSchema },
  'invitations:sheets-pdf': {
    summary: 'print issued invitations to one PDF, one A4 page each',
    input: z.strictObject({
      sheets: z.array(z.strictObject({ html: text(2_000_000).min(1), language })).min(1, 'no invitations to print').max(MAX_SHEETS),
    }),
    output: fileOut.extend({ sheets: z.number().int() }),
  },
} as const;

/** Names of the registration channels, re-exported from the zod-free ./names-registration. */
export { REGISTRATION_CHANNELS } from './names-registration';

/** A registration user as the renderer sees it. */
export type RegistrationUserOut = RegistrationUser;
/** An invitation row. */
export type InvitationRowOut = InvitationRow;
/** An issued invitation (PIN in clear, shown once). */
export type IssuedInvitationOut = IssuedInvitation;
/** Settings with the derived registration URL and PIN need. */
export type RegistrationSettingsView = z.output<typeof registrationSettingsViewSchema>;
