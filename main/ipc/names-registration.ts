/**
 * Names of the Users & Invitations channels, without schemas (zod-free, for ./names and the
 * sandboxed preload). Their schemas live in ./contract-registration.
 */

/** Names of the registration channels (spread into INVOKE_CHANNELS in ./names). */
export const REGISTRATION_CHANNELS = [
  'users:list',
  'users:add',
  'users:update',
  'users:delete',
  'users:export-csv',
  'registration:settings-get',
  'registration:settings-set',
  'registration:template-get',
  'registration:template-save',
  'registration:template-reset',
  'registration:template-preview',
  'invitations:invite',
  'invitations:list',
  'invitations:resend',
  'invitations:revoke',
  'invitations:sheets-pdf',
] as const;
