/**
 * Channel → service mapping. Each handler receives the parsed input and forwards it to one
 * method of the application services (main/app/services.ts), converting only the transport form
 * (base64 ↔ bytes, ISO strings ↔ Date, Buffer-free results); no business logic lives here.
 */
import type { AppServices } from '../app/services';
import { formatUsbmuxAddress, resolveUsbmuxAddress } from '../apple/usbmux/address';
import type { ChannelInput, ChannelOutput, EventName, EventPayload } from './contract';
import { globalSearch } from './global-search';
import { createDepHandlers } from './handlers-dep';
import { createRegistrationHandlers } from './handlers-registration';
import { createBlueprintHandlers } from './handlers-blueprints';
import { createOrganizationHandlers } from './handlers-organizations';
import { createSyncHandlers } from './handlers-sync';
import type { InvokeChannel } from './names';
import { featuresOf, optionalServices } from './optional-services';
import { RunningStages } from './stage-cancel';
import { createTableRegistry } from './tables';
import { readSettings, writeSettings } from './workstation-settings';

/** The service surface the IPC layer calls. */
export type IpcServices = AppServices;

/** What handlers need besides the services: app version, usbmuxd address override, event sink. */
export interface HandlerContext {
  /** Application version shown in the UI (Electron: `app.getVersion()`). */
  version: string;
  /** usbmuxd address the services use (`UNIX:/path` or `host:port`); default env/platform. */
  usbmuxAddress?: string;
  /** Start the background sync runner when a tenant is configured (Electron; off in tests and the CLI). */
  backgroundSync?: boolean;
  /** Receives main → renderer events (staging progress). */
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
}

/** One handler per channel: parsed input in, output (or a promise of it) out. */
export type ChannelHandlers = {
  [C in InvokeChannel]: (input: ChannelInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
};

const bytes = (b64: string): Buffer => Buffer.from(b64, 'base64');

/** Handlers forwarding each channel to its service method. */
export function createHandlers(s: IpcServices, ctx: HandlerContext): ChannelHandlers {
  const stages = new RunningStages();
  let registry: ReturnType<typeof createTableRegistry> | null = null;
  const tables = (): ReturnType<typeof createTableRegistry> => (registry ??= createTableRegistry(s));
  return {
    'app:info': () => ({
      name: 'StageBench',
      version: ctx.version,
      dataDir: s.dataDir,
      usbmuxdAddress: formatUsbmuxAddress(resolveUsbmuxAddress(ctx.usbmuxAddress)),
    }),
    'devices:list': async () => (await s.devices.list()).filter((d) => d.attached),
    'stage:run': (input) =>
      stages.run((signal) =>
        s.bench.stage(
          {
            udids: input.udids,
            enrollmentProfileId: input.enrollmentProfileId,
            wifi: input.wifi ? { ssid: input.wifi.ssid, password: input.wifi.password || undefined, encryption: input.wifi.encryption } : undefined,
            signal,
          },
          (progress) => ctx.emit('stage:progress', progress),
        ),
      ),
    'stage:cancel': () => ({ cancelled: stages.cancelAll() }),
    'identities:import': (input) => s.identities.importPkcs12(bytes(input.p12Base64), input.password, input.label),
    'identities:list': () => s.identities.list(),
    'profiles:build': (spec) =>
      s.profiles.build({
        ...spec,
        anchors: spec.anchors.map((a) => bytes(a.base64)),
        removalDate: spec.removalDate ? new Date(spec.removalDate) : undefined,
      }),
    'profiles:sign': ({ profileId, identityId }) => s.profiles.sign(profileId, identityId),
    'profiles:list': () => s.profiles.list(),
    'profiles:get': ({ id }) => ({ profile: s.profiles.get(id).row, xml: s.profiles.xml(id) }),
    'profiles:export': ({ id }) => {
      const file = s.profiles.export(id);
      return { filename: file.fileName, mimeType: 'application/x-apple-aspen-config', base64: file.bytes.toString('base64') };
    },
    'profiles:verify': ({ bytesBase64, caPem }) => {
      const r = s.profiles.verify(bytes(bytesBase64), caPem);
      return {
        signed: r.signed,
        valid: r.valid,
        caChecked: !!caPem,
        problems: r.problems,
        signer: r.signer ?? null,
        chain: r.chain,
        signingTime: r.signingTime ? r.signingTime.toISOString() : null,
        digestAlgorithm: r.digestAlgorithm ?? null,
        signatureAlgorithm: r.signatureAlgorithm ?? null,
        identifier: r.identifier ?? null,
        displayName: r.displayName ?? null,
        payloads: r.payloads,
      };
    },
    'profiles:import': ({ name, bytesBase64 }) => s.profiles.importFile(bytes(bytesBase64), name),
    'devices:install-profile': async ({ udid, profileId }) => {
      const { row, bytes: content } = s.profiles.get(profileId);
      const device = (await s.devices.list()).find((d) => d.udid === udid && d.attached);
      if (!device) throw Object.assign(new Error(`device ${udid} is not attached; connect it and try again`), { code: 'E_NOT_ATTACHED' });
      // MCInstall needs a lockdown session: pair first (the operator taps Trust on the device).
      if (!device.paired) await s.devices.pair(udid, undefined, 120_000);
      await s.devices.installProfile(udid, content, row.name);
      return { udid, profileName: row.name };
    },
    'app:status': async () => {
      const features = featuresOf(s);
      const sync = optionalServices(s).sync;
      if (!features.sync || !sync) return { tenant: { state: 'not-configured', detail: 'Tenant sync is not set up on this workstation' }, pendingSync: null, features };
      const st = await sync.status();
      if (!st.configured) return { tenant: { state: 'not-configured', detail: 'No tenant connection configured' }, pendingSync: st.pending, features };
      const where = st.tenantUrl ?? 'tenant';
      const state = st.online === null ? 'unknown' : st.online ? 'online' : 'offline';
      return { tenant: { state, detail: st.lastError && !st.online ? `${where}: ${st.lastError}` : where }, pendingSync: st.pending, features };
    },
    'settings:get': () => readSettings(s.dataDir),
    'settings:set': ({ organizationName, setupCompleted }) =>
      writeSettings(s.dataDir, {
        ...(organizationName !== undefined ? { organizationName: organizationName.trim() } : {}),
        ...(setupCompleted !== undefined ? { setupCompletedAt: setupCompleted ? new Date().toISOString() : null } : {}),
      }),
    'search:global': ({ query }) => globalSearch(tables().devices, () => s.profiles.list(), query),
    'table:describe': ({ table }) => tables()[table].describe(),
    'table:query': ({ table, ...req }) => tables()[table].query(req),
    'table:export': async ({ table, keys, ...criteria }) => {
      const out = await tables()[table].exportCsv(criteria, keys);
      return { filename: out.filename, mimeType: 'text/csv', base64: out.csv.toString('base64'), rows: out.rows };
    },
    'table:action': ({ table, action, keys }) => tables()[table].act(action, keys),
    'users:import-csv': ({ text, acceptValidRows }) => {
      const r = s.registration.users.importCsv(text, { acceptValidRows });
      return { ...r, errors: r.errors.slice(0, 50) };
    },
    ...createDepHandlers(s, ctx),
    ...createRegistrationHandlers(s, ctx),
    ...createSyncHandlers(s, ctx),
    ...createBlueprintHandlers(s, ctx),
    ...createOrganizationHandlers(s, ctx),
  };
}
