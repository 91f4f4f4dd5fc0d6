/**
 * Handlers of the blueprint channels (contract-blueprints.ts): forwarding to `app.blueprints`,
 * with the transport-side state the channels need — the abort controllers of runs in flight
 * (`blueprints:cancel`) and the one auto-apply session (`blueprints:auto-apply`), whose runs report
 * through the same `blueprint:progress` / `blueprint:run` events as runs started by a click.
 */
import { skipKeysFor, type PreparePlatform } from '../apple/prepare';
import type { AppServices } from '../app/services';
import type { DeviceRunProgress, RunSummary } from '../bench';
import type { AutoApplyHandle } from '../blueprints/auto-apply';
import { BlueprintInputError, type BlueprintAction } from '../blueprints/schema';
import { skipKeyCatalog } from '../profiles';
import type { BlueprintView } from '../blueprints/service';
import type { BLUEPRINT_CHANNELS, BlueprintActionInput } from './contract-blueprints';
import type { ChannelOutput } from './contract';
import type { ChannelHandlers, HandlerContext } from './handlers';
import { RunningStages } from './stage-cancel';

type BlueprintHandlers = Pick<ChannelHandlers, (typeof BLUEPRINT_CHANNELS)[number]>;

/** One line describing `a`; `profileName` resolves stored profile ids. */
export function describeAction(a: BlueprintAction, profileName: (id: string) => string): string {
  switch (a.type) {
    case 'wifi':
      return `Wi-Fi “${a.ssid}”${a.encryption && a.encryption !== 'None' ? ` (${a.encryption})` : ''}`;
    case 'enrollment-profile':
      return a.profileId ? `Enrollment profile “${profileName(a.profileId)}”` : `Enrollment profile per device from “${a.template?.name ?? 'template'}”`;
    case 'install-profile':
      return `Profile “${profileName(a.profileId)}”`;
    case 'prepare': {
      const ade = a.options?.dep === true;
      const skip = a.skipSetup === 'all' ? 'skip all panes' : a.skipSetup?.length ? `skip ${a.skipSetup.length} pane${a.skipSetup.length === 1 ? '' : 's'}` : '';
      const parts = [ade ? 'Automated Device Enrollment' : 'manual', a.supervised ? 'supervised' : '', skip, a.language ?? '', a.locale ?? ''].filter(Boolean);
      return `Prepare (${parts.join(', ')})`;
    }
    case 'device-name':
      return `Device name ${a.pattern}`;
    case 'locale':
      return `Locale ${[a.language, a.region, a.timeZone].filter(Boolean).join(' · ')}`;
    case 'erase':
      return 'Erase all content and settings';
  }
}

/**
 * A `blueprints:create` action as a main/blueprints/schema.ts action (validated there): `prepare.ade`
 * becomes the executor option `dep`; a Wi-Fi network without password is open (`None`), with one WPA2.
 */
export function schemaActionOf(a: BlueprintActionInput): Record<string, unknown> {
  switch (a.type) {
    case 'wifi':
      return { type: 'wifi', ssid: a.ssid, encryption: a.encryption ?? (a.password ? 'WPA2' : 'None'), ...(a.password ? { password: a.password } : {}), ...(a.hidden ? { hidden: true } : {}) };
    case 'prepare': {
      const { ade, ...rest } = a;
      return { ...rest, ...(ade ? { options: { dep: true } } : {}) };
    }
    case 'device-name':
      return { ...a, pattern: a.pattern.trim() };
    default:
      return { ...a };
  }
}

/** Invalid blueprint input as the dialog shows it: one issue per line (`actions.N …: message`), code E_INVALID_BLUEPRINT. */
function blueprintInputFailure(err: BlueprintInputError): Error {
  return Object.assign(new Error(`invalid blueprint:\n${err.issues.join('\n')}`), { code: 'E_INVALID_BLUEPRINT' });
}

const PLATFORM_LABELS: Record<PreparePlatform, string> = { iOS: 'iOS / iPadOS', tvOS: 'tvOS' };

/** Skip keys per platform for the prepare picker: the keys prepare accepts (skipKeysFor), titled from the catalog. */
function skipKeyGroups(): ChannelOutput<'blueprints:skip-keys'> {
  const byKey = new Map(skipKeyCatalog().keys.map((k) => [k.key, k]));
  return (['iOS', 'tvOS'] as const).map((platform) => ({
    platform,
    label: PLATFORM_LABELS[platform],
    keys: skipKeysFor(platform).map((key) => {
      const k = byKey.get(key);
      return { key, title: k?.title ?? key, description: k?.description ?? '', introduced: k?.platforms[platform]?.introduced ?? '' };
    }),
  }));
}

/** The blueprint channel handlers over `app.blueprints`. */
export function createBlueprintHandlers(app: AppServices, ctx: HandlerContext): BlueprintHandlers {
  const runs = new RunningStages();
  let auto: { handle: AutoApplyHandle; blueprint: string } | null = null;

  const summary = (b: BlueprintView): ChannelOutput<'blueprints:create'> => {
    const names = new Map(app.profiles.list().map((p) => [p.id, p.name]));
    return {
      id: b.id, name: b.name, description: b.description, autoApply: b.autoApply, ready: b.ready, problems: b.problems, updatedAt: b.updatedAt,
      actions: b.actions.map((a) => describeAction(a, (id) => names.get(id) ?? id)),
    };
  };
  const autoState = (): ChannelOutput<'blueprints:auto-apply'> => ({ active: !!auto, blueprint: auto?.blueprint ?? null, running: auto ? [...auto.handle.running] : [] });
  const progress = (blueprint: string) => (p: DeviceRunProgress) => ctx.emit('blueprint:progress', { ...p, blueprint });
  const runOut = (blueprint: string, s: RunSummary, isAuto: boolean): ChannelOutput<'blueprints:apply'> => ({
    runId: s.runId, blueprint, auto: isAuto, startedAt: s.startedAt, finishedAt: s.finishedAt, succeeded: s.succeeded, failed: s.failed,
    devices: s.devices.map((d) => ({ udid: d.udid, ok: d.ok, ...(d.error ? { error: d.error } : {}), steps: d.steps, retries: d.retries, resumes: d.resumes })),
  });

  return {
    'blueprints:list': () => ({ blueprints: app.blueprints.list().map(summary), autoApply: autoState() }),
    'blueprints:create': ({ name, description, wifi, enrollmentProfileId, profileIds, deviceNamePattern, actions: ordered }) => {
      const actions: unknown[] = [];
      if (ordered && (wifi || enrollmentProfileId || profileIds?.length || deviceNamePattern?.trim())) {
        throw Object.assign(new Error('give either actions or the wifi / enrollmentProfileId / profileIds / deviceNamePattern fields, not both'), { code: 'E_INVALID_INPUT' });
      }
      if (ordered) {
        try {
          return summary(app.blueprints.create({ name, description, actions: ordered.map(schemaActionOf) }));
        } catch (err) {
          throw err instanceof BlueprintInputError ? blueprintInputFailure(err) : err;
        }
      }
      if (wifi) actions.push({ type: 'wifi', ssid: wifi.ssid, encryption: wifi.encryption ?? (wifi.password ? 'WPA2' : 'None'), ...(wifi.password ? { password: wifi.password } : {}) });
      if (enrollmentProfileId) actions.push({ type: 'enrollment-profile', profileId: enrollmentProfileId });
      for (const profileId of profileIds ?? []) actions.push({ type: 'install-profile', profileId });
      if (deviceNamePattern?.trim()) actions.push({ type: 'device-name', pattern: deviceNamePattern.trim() });
      return summary(app.blueprints.create({ name, description, actions }));
    },
    'blueprints:import': ({ text }) => {
      const r = app.blueprints.import(text);
      return { blueprint: summary(r.blueprint), missingSecrets: r.missingSecrets };
    },
    'blueprints:delete': ({ name }) => ({ deleted: app.blueprints.delete(name) }),
    'blueprints:apply': async ({ name, udids }) => {
      const b = app.blueprints.get(name);
      const s = await runs.run((signal) => app.blueprints.apply(b.name, { udids, signal, onProgress: progress(b.name) }));
      return runOut(b.name, s, false);
    },
    'blueprints:cancel': () => ({ cancelled: runs.cancelAll() }),
    'blueprints:auto-apply': async ({ name }) => {
      const previous = auto;
      auto = null;
      if (previous) void previous.handle.close();
      if (name === null) {
        app.blueprints.setAutoApply(null);
        return autoState();
      }
      const b = app.blueprints.get(name);
      if (!b.ready) throw Object.assign(new Error(`“${b.name}” cannot run yet: ${b.problems.join('; ')}`), { code: 'E_NOT_READY' });
      app.blueprints.setAutoApply(b.name);
      const handle = await app.blueprints.startAutoApply(b.name, {
        onProgress: progress(b.name),
        onRun: (s) => ctx.emit('blueprint:run', runOut(b.name, s, true)),
      });
      auto = { handle, blueprint: b.name };
      return autoState();
    },
    'blueprints:logs': ({ udid, runId, limit }) => app.blueprints.logs({ udid, runId, limit: limit ?? 500 }),
    'blueprints:skip-keys': () => skipKeyGroups(),
  };
}
