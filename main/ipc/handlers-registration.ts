/**
 * Handlers of the Users & Invitations channels (./contract-registration): each forwards to one
 * method of `app.registration` (main/registration/service.ts), converting only the transport form
 * (PDF bytes → base64, CSV text → base64 file). A RegistrationInputError from the service is
 * rethrown with the code `E_FIELD_<FIELD>` so the renderer can show the message under that field.
 * Nothing here logs: results may hold one-time PINs.
 */
import type { AppServices } from '../app/services';
import { RegistrationInputError } from '../registration/errors';
import type { ChannelInput, ChannelOutput } from './contract';
import type { REGISTRATION_CHANNELS } from './contract-registration';
import type { HandlerContext } from './handlers';

type RegistrationChannel = (typeof REGISTRATION_CHANNELS)[number];

/** One handler per registration channel. */
export type RegistrationHandlers = {
  [C in RegistrationChannel]: (input: ChannelInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
};

/** Error code of a field error: `pinLength` → `E_FIELD_PIN_LENGTH`. */
export function fieldErrorCode(field: string): string {
  const snake = field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase().slice(0, 55);
  return `E_FIELD_${snake || 'INPUT'}`;
}

/** Runs `fn`, turning a RegistrationInputError into an Error with the field's code (same message). */
async function fielded<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RegistrationInputError) throw Object.assign(new Error(err.message), { code: fieldErrorCode(err.field) });
    throw err;
  }
}

/** Today's date for file names (`2026-05-01`). */
const today = (): string => new Date().toISOString().slice(0, 10);

/** Handlers forwarding each registration channel to `app.registration` (`_ctx` unused: nothing here emits events). */
export function createRegistrationHandlers(app: AppServices, _ctx?: HandlerContext): RegistrationHandlers {
  const reg = app.registration;
  const view = (): ChannelOutput<'registration:settings-get'> => ({
    settings: reg.settings.get(),
    registrationUrl: reg.settings.registrationUrl(),
    invitationNeedsPin: reg.settings.invitationNeedsPin(),
  });
  const template = (language: string): ChannelOutput<'registration:template-get'> => ({ template: reg.templates.get(language), ...reg.templates.reference() });
  return {
    'users:list': (input) => reg.users.list(input?.search),
    'users:add': (input) => fielded(() => reg.users.add(input)),
    'users:update': ({ user, patch }) => fielded(() => reg.users.update(user, patch)),
    'users:delete': ({ user }) => fielded(() => reg.users.delete(user)),
    'users:export-csv': () => {
      const csv = reg.users.exportCsv();
      const rows = Math.max(0, csv.split('\n').filter((l) => l.trim() !== '').length - 1);
      return { filename: `users-${today()}.csv`, mimeType: 'text/csv', base64: Buffer.from(csv, 'utf8').toString('base64'), rows };
    },
    'registration:settings-get': view,
    'registration:settings-set': (patch) =>
      fielded(() => {
        reg.settings.set(patch);
        return view();
      }),
    'registration:template-get': ({ language }) => fielded(() => template(language)),
    'registration:template-save': ({ language, html }) => fielded(() => reg.templates.save(language, html)),
    'registration:template-reset': ({ language }) => fielded(() => reg.templates.reset(language)),
    'registration:template-preview': ({ language, html, platform }) => fielded(async () => ({ html: await reg.templates.preview(language, html, platform) })),
    'invitations:invite': ({ users, language, platform }) => fielded(async () => ({ invitations: (await reg.invitations.invite(users, { language, platform })).invitations })),
    'invitations:list': (input) => fielded(() => reg.invitations.list({ user: input?.user, status: input?.status })),
    'invitations:resend': ({ id }) => fielded(async () => ({ invitations: (await reg.invitations.resend(id)).invitations })),
    'invitations:revoke': ({ id }) => fielded(() => reg.invitations.revoke(id)),
    'invitations:sheets-pdf': ({ sheets }) =>
      fielded(async () => {
        const pdf = await reg.sheetsPdf(sheets);
        return { filename: `invitation-sheets-${today()}.pdf`, mimeType: 'application/pdf', base64: pdf.toString('base64'), sheets: sheets.length };
      }),
  };
}
