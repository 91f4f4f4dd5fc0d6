/** Loads `app:info` once. */
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../main/ipc/contract';
import { api } from '../api';

/** App facts, or null until loaded (and when loading failed). */
export function useAppInfo(): AppInfo | null {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let live = true;
    api()
      .invoke('app:info')
      .then((value) => live && setInfo(value))
      .catch(() => live && setInfo(null));
    return () => {
      live = false;
    };
  }, []);
  return info;
}
