/** `app:status` (tenant, pending sync, wired features), refreshed every 15 s and on demand. */
import { useCallback, useEffect, useState } from 'react';
import type { AppStatus } from '../../../main/ipc/contract';
import { api } from '../api';

/** The status (null until the first answer) and a refresh function. */
export function useAppStatus(intervalMs = 15_000): { status: AppStatus | null; refresh: () => void } {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const refresh = useCallback(() => {
    api()
      .invoke('app:status')
      .then(setStatus)
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    refresh();
    const t = setInterval(refresh, intervalMs);
    return () => clearInterval(t);
  }, [refresh, intervalMs]);
  return { status, refresh };
}
