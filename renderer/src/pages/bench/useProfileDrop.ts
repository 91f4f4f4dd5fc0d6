/** Installing a `.mobileconfig` dropped on a device tile: store it (`profiles:import`), then install it (`devices:install-profile`). */
import { useCallback } from 'react';
import { api, messageOf } from '../../api';
import type { ShowToast } from '../../components/Toasts';
import { fileToBase64 } from '../../files';

/** Returns `(udid, deviceName, file) => Promise<void>`, reporting through toasts. */
export function useProfileDrop(toast: ShowToast): (udid: string, deviceName: string, file: File) => Promise<void> {
  return useCallback(
    async (udid, deviceName, file) => {
      if (!/\.mobileconfig$/i.test(file.name)) {
        toast({ severity: 'warning', message: `${file.name} is not a .mobileconfig — drop a configuration profile on a device to install it` });
        return;
      }
      toast({ severity: 'info', message: `Installing ${file.name} on ${deviceName}… (the device may ask to trust this computer)` });
      try {
        const row = await api().invoke('profiles:import', { name: file.name.replace(/\.mobileconfig$/i, ''), bytesBase64: await fileToBase64(file) });
        const r = await api().invoke('devices:install-profile', { udid, profileId: row.id });
        toast({ severity: 'success', message: `“${r.profileName}” installed on ${deviceName}` });
      } catch (err) {
        toast({ severity: 'error', message: `Could not install ${file.name} on ${deviceName}: ${messageOf(err)}` });
      }
    },
    [toast],
  );
}
