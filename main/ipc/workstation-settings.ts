/**
 * Workstation settings the UI keeps between sessions: the organization name used as the default
 * profile organization, and whether the first-run setup was completed or skipped. Stored as JSON
 * (`ui-settings.json`, mode 0600) in the data directory next to the cache; no secret goes here.
 */
import fs from 'node:fs';
import path from 'node:path';

/** File name inside the data directory. */
export const SETTINGS_FILE = 'ui-settings.json';

/** The settings. `setupCompletedAt` is ISO-8601, null until the wizard was finished or skipped. */
export interface WorkstationSettings {
  organizationName: string;
  setupCompletedAt: string | null;
}

const DEFAULTS: WorkstationSettings = { organizationName: '', setupCompletedAt: null };

/** Reads the settings; defaults when the file is missing or unreadable. */
export function readSettings(dataDir: string): WorkstationSettings {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(dataDir, SETTINGS_FILE), 'utf8')) as Partial<WorkstationSettings>;
    return {
      organizationName: typeof raw.organizationName === 'string' ? raw.organizationName : DEFAULTS.organizationName,
      setupCompletedAt: typeof raw.setupCompletedAt === 'string' ? raw.setupCompletedAt : null,
    };
  } catch {
    return { ...DEFAULTS };
  }
}

/** Merges `patch` into the stored settings (written atomically: temp file then rename) and returns them. */
export function writeSettings(dataDir: string, patch: Partial<WorkstationSettings>): WorkstationSettings {
  const next = { ...readSettings(dataDir), ...patch };
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SETTINGS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return next;
}
