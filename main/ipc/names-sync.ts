/** Channel names of the Sync page (zod-free, so the preload can import them; schemas in contract-sync.ts). */
export const SYNC_CHANNELS = ['sync:status', 'sync:configure', 'sync:run', 'sync:outbox', 'sync:conflicts', 'sync:resolve'] as const;
