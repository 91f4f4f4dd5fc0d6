/**
 * Channel → service mapping. Each handler receives the parsed input and forwards it to one
 * method of the application services (main/app/services.ts), converting only the transport form
 * (base64 ↔ bytes, ISO strings ↔ Date, Buffer-free results); no business logic lives here.
 */
import type { AppServices } from '../app/services';
import { formatUsbmuxAddress, resolveUsbmuxAddress } from '../apple/usbmux/address';
import type { ChannelInput, ChannelOutput, EventName, EventPayload } from './contract';
import type { InvokeChannel } from './names';

/** The service surface the IPC layer calls. */
export type IpcServices = AppServices;

/** What handlers need besides the services: app version, usbmuxd address override, event sink. */
export interface HandlerContext {
  /** Application version shown in the UI (Electron: `app.getVersion()`). */
  version: string;
  /** usbmuxd address the services use (`UNIX:/path` or `host:port`); default env/platform. */
  usbmuxAddress?: string;
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
  return {
    'app:info': () => ({
      name: 'StageBench',
      version: ctx.version,
      dataDir: s.dataDir,
      usbmuxdAddress: formatUsbmuxAddress(resolveUsbmuxAddress(ctx.usbmuxAddress)),
    }),
    'devices:list': async () => (await s.devices.list()).filter((d) => d.attached),
    'stage:run': (input) =>
      s.bench.stage(
        {
          udids: input.udids,
          enrollmentProfileId: input.enrollmentProfileId,
          wifi: input.wifi ? { ssid: input.wifi.ssid, password: input.wifi.password || undefined, encryption: input.wifi.encryption } : undefined,
        },
        (progress) => ctx.emit('stage:progress', progress),
      ),
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
  };
}
