/**
 * Names of the Enrollment (ABM / ADE) channels, without zod so ./names (and the sandboxed preload)
 * stay schema-free. The schemas live in ./contract-dep, which re-exports this list.
 */
export const DEP_CHANNELS = [
  'dep:servers',
  'dep:add-server',
  'dep:upload-token',
  'dep:public-key',
  'dep:test-connection',
  'dep:sync',
  'dep:delete-server',
  'dep:profiles',
  'dep:profile-get',
  'dep:profile-validate',
  'dep:profile-save',
  'dep:inspect-certificate',
  'dep:profile-set-default',
  'dep:profile-auth',
  'dep:profile-delete',
  'dep:push',
  'dep:setup-panes',
  'dep:devices',
  'dep:devices-export',
  'dep:assign',
] as const;

/** One Enrollment channel name. */
export type DepChannel = (typeof DEP_CHANNELS)[number];
