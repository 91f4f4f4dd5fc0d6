/** Channel and event names of the Bench blueprints (zod-free, so the preload can import them; schemas in contract-blueprints.ts). */
export const BLUEPRINT_CHANNELS = [
  'blueprints:list', 'blueprints:create', 'blueprints:import', 'blueprints:delete', 'blueprints:apply', 'blueprints:cancel', 'blueprints:auto-apply', 'blueprints:logs', 'blueprints:skip-keys',
] as const;
/** Event names of blueprint runs. */
export const BLUEPRINT_EVENTS = ['blueprint:progress', 'blueprint:run'] as const;
