/**
 * Chooses how to revive/restore a device on this host: `cfgutil` on macOS when it is installed
 * (Apple Configurator → "Install Automation Tools"), else `idevicerestore` when it is on PATH and
 * supports the device, else RestoreNotSupportedError saying what to do.
 */
import { cfgutilBackend } from './cfgutil';
import { idevicerestoreBackend } from './idevicerestore';
import { findExecutable, toolVersion } from './tools';
import { RestoreNotSupportedError, type RestoreBackend, type RestoreOperation, type RestoreTarget } from './types';

/** The host facts selection depends on (injectable for tests). */
export interface RestoreHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
}

/** The tools found on a host, with their versions. */
export interface RestoreTools {
  cfgutil: RestoreBackend | null;
  idevicerestore: RestoreBackend | null;
}

/** Looks for cfgutil (macOS only) and idevicerestore on PATH and reads their versions. */
export async function discoverRestoreTools(host: RestoreHost = { platform: process.platform, env: process.env }): Promise<RestoreTools> {
  const pathVar = host.env.PATH;
  const cfg = host.platform === 'darwin' ? findExecutable('cfgutil', pathVar, host.platform) ?? findExecutable('cfgutil', '/usr/local/bin', host.platform) : null;
  const idr = findExecutable('idevicerestore', pathVar, host.platform);
  return {
    cfgutil: cfg ? cfgutilBackend(cfg, await toolVersion(cfg, ['version'], host.env)) : null,
    idevicerestore: idr ? idevicerestoreBackend(idr, await toolVersion(idr, ['--version'], host.env)) : null,
  };
}

/** Picks the backend for `op` on `target`. Throws RestoreNotSupportedError with the reasons and what to do. */
export function selectRestoreBackend(tools: RestoreTools, target: RestoreTarget, op: RestoreOperation, host: RestoreHost): RestoreBackend {
  if (tools.cfgutil) return tools.cfgutil;
  const what = `${op} of ${target.chip ? `${target.chip.name} (${target.chip.family})` : 'this device'}`;
  if (tools.idevicerestore) {
    const s = tools.idevicerestore.supports(target, op);
    if (s.ok) return tools.idevicerestore;
    throw new RestoreNotSupportedError(`${what} is not supported on this host: ${s.reason}`);
  }
  const advice = host.platform === 'darwin'
    ? 'install Apple Configurator from the App Store and choose Apple Configurator > Install Automation Tools (puts cfgutil in /usr/local/bin)'
    : host.platform === 'linux'
      ? 'install idevicerestore (Debian/Ubuntu: sudo apt-get install idevicerestore — iPhone/iPad up to A14 only; Apple silicon Macs need an upstream build with libtatsu), or connect the device to a Mac with Apple Configurator'
      : 'connect the device to a Mac with Apple Configurator (cfgutil), or to a Linux host with idevicerestore';
  throw new RestoreNotSupportedError(`${what} is not supported on this host: neither cfgutil nor idevicerestore was found; ${advice}`);
}
