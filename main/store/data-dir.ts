/**
 * Where StageBench keeps its cache (SQLite file, secret-box parameters, logs).
 * `STAGEBENCH_DATA_DIR` overrides; otherwise the platform's per-user application-data folder,
 * matching Electron's `app.getPath('userData')` for an app named "StageBench".
 */
import os from 'node:os';
import path from 'node:path';

/** The app name used for the default data directory. */
export const APP_NAME = 'StageBench';

/**
 * Resolves the data directory: `env.STAGEBENCH_DATA_DIR` when set (made absolute), else
 * Linux `$XDG_CONFIG_HOME/StageBench` (default `~/.config/StageBench`), macOS
 * `~/Library/Application Support/StageBench`, Windows `%APPDATA%\StageBench`.
 * Does not create the directory.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env.STAGEBENCH_DATA_DIR;
  if (override && override.trim() !== '') return path.resolve(override);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}
