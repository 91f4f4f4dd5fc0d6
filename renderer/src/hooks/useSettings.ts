/** Workstation settings (`settings:get` / `settings:set`): organization name and first-run state. */
import { useCallback, useEffect, useState } from 'react';
import type { ChannelInput, Settings } from '../../../main/ipc/contract';
import { api } from '../api';

/** Settings (null until loaded) and a save function resolving to the stored settings. */
export interface SettingsState {
  settings: Settings | null;
  save: (patch: ChannelInput<'settings:set'>) => Promise<Settings>;
}

/** Loads the settings once. */
export function useSettings(): SettingsState {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    api()
      .invoke('settings:get')
      .then(setSettings)
      .catch(() => setSettings({ organizationName: '', setupCompletedAt: new Date().toISOString() }));
  }, []);
  const save = useCallback(async (patch: ChannelInput<'settings:set'>) => {
    const next = await api().invoke('settings:set', patch);
    setSettings(next);
    return next;
  }, []);
  return { settings, save };
}
