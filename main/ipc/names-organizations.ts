/** Channel names of the Organizations page (zod-free, so the preload can import them; schemas in contract-organizations.ts). */
export const ORGANIZATION_CHANNELS = ['organizations:list', 'organizations:create', 'organizations:import-p12', 'organizations:import-der', 'organizations:export-certificate'] as const;
