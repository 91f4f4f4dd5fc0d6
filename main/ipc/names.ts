/**
 * Names of the renderer ↔ main contract, without schemas, so the sandboxed preload and the
 * browser test bridge can restrict themselves to the contract without bundling zod.
 * The schemas for each name live in `./contract` (which is checked against these lists).
 */
import { DEP_CHANNELS } from './names-dep';
import { REGISTRATION_CHANNELS } from './names-registration';
import { BLUEPRINT_CHANNELS, BLUEPRINT_EVENTS } from './names-blueprints';
import { ORGANIZATION_CHANNELS } from './names-organizations';
import { SYNC_CHANNELS } from './names-sync';

/** Request/response channels (renderer → main, `ipcRenderer.invoke` / `ipcMain.handle`). */
export const INVOKE_CHANNELS = [
  'app:info',
  'devices:list',
  'stage:run',
  'identities:import',
  'identities:list',
  'profiles:build',
  'profiles:sign',
  'profiles:list',
  'profiles:get',
  'profiles:export',
  'profiles:verify',
  'profiles:import',
  'devices:install-profile',
  'stage:cancel',
  'app:status',
  'settings:get',
  'settings:set',
  'search:global',
  'table:describe',
  'table:query',
  'table:export',
  'table:action',
  'users:import-csv',
  ...DEP_CHANNELS,
  ...REGISTRATION_CHANNELS,
  ...SYNC_CHANNELS,
  ...BLUEPRINT_CHANNELS,
  ...ORGANIZATION_CHANNELS,
] as const;

/** Event names (main → renderer, `webContents.send`). */
export const EVENT_NAMES = ['device:attached', 'device:detached', 'stage:progress', 'file:opened', ...BLUEPRINT_EVENTS] as const;

/** One request/response channel name. */
export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
/** One event name. */
export type EventName = (typeof EVENT_NAMES)[number];

/** True when `name` is one of the contract's request/response channels. */
export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(name);
}

/** True when `name` is one of the contract's event names. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}
