/**
 * Bench state kept at the app level (so a staging run survives switching pages): attached devices
 * (live from `device:attached` / `device:detached`), per-device staging progress (from
 * `stage:progress`), and the current run with its summary.
 */
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { DeviceRow, DeviceStageProgress, StageSummary } from '../../../main/app/types';
import type { ChannelInput } from '../../../main/ipc/contract';
import { api, messageOf } from '../api';

/** What the Bench page reads and does. */
export interface BenchState {
  devices: DeviceRow[];
  /** Every device seen this session, by UDID (names stay available after a device is unplugged). */
  seen: Record<string, DeviceRow>;
  loading: boolean;
  /** Error of the last device listing (usbmuxd unreachable …). */
  listError: string | null;
  /** Latest progress per UDID for the current/last run. */
  progress: Record<string, DeviceStageProgress>;
  /** Message of the failed step per UDID for the current/last run. */
  failures: Record<string, string>;
  running: boolean;
  summary: StageSummary | null;
  runError: string | null;
  refresh: () => Promise<void>;
  stage: (input: ChannelInput<'stage:run'>) => Promise<void>;
  dismissSummary: () => void;
}

function upsert(list: DeviceRow[], row: DeviceRow): DeviceRow[] {
  const i = list.findIndex((d) => d.udid === row.udid);
  if (i < 0) return [...list, row];
  const next = list.slice();
  next[i] = row;
  return next;
}

/** The bench state machine; mount once (App) and share through BenchContext. */
export function useBenchState(): BenchState {
  const [devices, setDevices] = useState<DeviceRow[]>([]);
  const [seen, setSeen] = useState<Record<string, DeviceRow>>({});
  const [loading, setLoading] = useState(true);
  const [listError, setListError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, DeviceStageProgress>>({});
  const [failures, setFailures] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [summary, setSummary] = useState<StageSummary | null>(null);
  const [runError, setRunError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      const rows = await api().invoke('devices:list');
      setDevices(rows.filter((d) => d.attached));
      setListError(null);
    } catch (err) {
      setListError(messageOf(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (devices.some((d) => seen[d.udid] !== d)) setSeen((all) => ({ ...all, ...Object.fromEntries(devices.map((d) => [d.udid, d])) }));
  }, [devices, seen]);

  useEffect(() => {
    const bridge = api();
    const offs = [
      bridge.on('device:attached', (row) => setDevices((list) => upsert(list, row))),
      bridge.on('device:detached', ({ udid }) => setDevices((list) => list.filter((d) => d.udid !== udid))),
      bridge.on('stage:progress', (p) => {
        setProgress((all) => ({ ...all, [p.udid]: p }));
        if (p.state === 'failed') setFailures((all) => ({ ...all, [p.udid]: p.message }));
      }),
    ];
    void refresh();
    return () => offs.forEach((off) => off());
  }, [refresh]);

  const stage = useCallback(async (input: ChannelInput<'stage:run'>) => {
    setRunning(true);
    setRunError(null);
    setSummary(null);
    setProgress({});
    setFailures({});
    try {
      setSummary(await api().invoke('stage:run', input));
    } catch (err) {
      setRunError(messageOf(err));
    } finally {
      setRunning(false);
    }
  }, []);

  const dismissSummary = useCallback(() => {
    setSummary(null);
    setRunError(null);
  }, []);

  return { devices, seen, loading, listError, progress, failures, running, summary, runError, refresh, stage, dismissSummary };
}

/** Context carrying the app-level bench state. */
export const BenchContext = createContext<BenchState | null>(null);

/** The bench state from context; throws when used outside `BenchContext.Provider`. */
export function useBench(): BenchState {
  const state = useContext(BenchContext);
  if (!state) throw new Error('useBench must be used inside BenchContext.Provider');
  return state;
}
