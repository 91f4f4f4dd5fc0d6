/**
 * Bench state kept at the app level (so a staging run survives switching pages): attached devices
 * (live from `device:attached` / `device:detached`), per-device staging progress (from
 * `stage:progress`), and the current run with its summary.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { DeviceRow, DeviceStageProgress, StageSummary } from '../../../main/app/types';
import type { ChannelInput } from '../../../main/ipc/contract';
import { STAGE_STEPS } from '../../../main/ipc/values';
import { api, messageOf } from '../api';
import type { ShowToast } from '../components/Toasts';

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
  /** Cancel was asked for the running job (remaining devices stop between steps). */
  cancelling: boolean;
  /** Devices in the current/last run, and how many of them finished (staged, failed or cancelled). */
  runTotal: number;
  runFinished: number;
  summary: StageSummary | null;
  runError: string | null;
  refresh: () => Promise<void>;
  stage: (input: ChannelInput<'stage:run'>) => Promise<void>;
  /** Asks the running job to stop between steps. */
  cancel: () => Promise<void>;
  dismissSummary: () => void;
}

function upsert(list: DeviceRow[], row: DeviceRow): DeviceRow[] {
  const i = list.findIndex((d) => d.udid === row.udid);
  if (i < 0) return [...list, row];
  const next = list.slice();
  next[i] = row;
  return next;
}

/** A device's run is over: every step done or skipped, or one failed. */
function finished(p: DeviceStageProgress): boolean {
  const states = Object.values(p.steps);
  return states.includes('failed') || states.every((s) => s === 'done' || s === 'skipped');
}

/**
 * The bench state machine; mount once (App) and share through BenchContext. `toast` reports
 * results and errors (with the action that fixes them).
 */
export function useBenchState(toast: ShowToast): BenchState {
  const [devices, setDevices] = useState<DeviceRow[]>([]);
  const [seen, setSeen] = useState<Record<string, DeviceRow>>({});
  const [loading, setLoading] = useState(true);
  const [listError, setListError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, DeviceStageProgress>>({});
  const [failures, setFailures] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [summary, setSummary] = useState<StageSummary | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [runTotal, setRunTotal] = useState(0);
  const devicesRef = useRef(devices);
  devicesRef.current = devices;
  const finishedRuns = useRef(new Set<string>());

  const refreshRef = useRef<() => Promise<void>>(async () => undefined);
  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      const rows = await api().invoke('devices:list');
      setDevices(rows.filter((d) => d.attached));
      setListError(null);
    } catch (err) {
      const message = messageOf(err);
      setListError(message);
      toast({
        key: 'usbmuxd',
        severity: 'error',
        message: /usbmux|ECONNREFUSED|ENOENT/i.test(message) ? `usbmuxd not running — ${message}` : `Cannot list devices: ${message}`,
        action: { label: 'Retry', run: () => void refreshRef.current() },
      });
    } finally {
      setLoading(false);
    }
  }, [toast]);
  refreshRef.current = refresh;

  useEffect(() => {
    if (devices.some((d) => seen[d.udid] !== d)) setSeen((all) => ({ ...all, ...Object.fromEntries(devices.map((d) => [d.udid, d])) }));
  }, [devices, seen]);

  useEffect(() => {
    const bridge = api();
    const offs = [
      bridge.on('device:attached', (row) => setDevices((list) => upsert(list, row))),
      bridge.on('device:detached', ({ udid }) => setDevices((list) => list.filter((d) => d.udid !== udid))),
      bridge.on('stage:progress', (p) => {
        // Events can trail the run's result; the summary is the final word for a finished run.
        if (finishedRuns.current.has(p.runId)) return;
        setProgress((all) => ({ ...all, [p.udid]: p }));
        if (p.state === 'failed') setFailures((all) => ({ ...all, [p.udid]: p.message }));
      }),
    ];
    void refresh();
    return () => offs.forEach((off) => off());
  }, [refresh]);

  const stage = useCallback(
    async (input: ChannelInput<'stage:run'>) => {
      setRunning(true);
      setCancelling(false);
      setRunError(null);
      setSummary(null);
      setProgress({});
      setFailures({});
      setRunTotal(input.udids?.length ?? devicesRef.current.length);
      try {
        const s = await api().invoke('stage:run', input);
        finishedRuns.current.add(s.runId);
        setProgress((all) => {
          const next = { ...all };
          for (const d of s.devices) {
            const prev = all[d.udid];
            const last = [...STAGE_STEPS].reverse().find((step) => d.steps[step] !== 'pending' && d.steps[step] !== 'skipped') ?? 'pair';
            next[d.udid] = {
              runId: s.runId, udid: d.udid, step: last, state: d.ok ? 'done' : 'failed', steps: d.steps,
              progress: d.ok ? 1 : (prev?.progress ?? 0), message: d.ok ? (prev?.message ?? '') : (d.error ?? prev?.message ?? ''),
            };
          }
          return next;
        });
        setFailures((all) => ({ ...all, ...Object.fromEntries(s.devices.filter((d) => !d.ok).map((d) => [d.udid, all[d.udid] ?? d.error ?? ''])) }));
        setSummary(s);
        const cancelled = s.devices.filter((d) => d.error?.includes('cancelled by the operator')).length;
        if (cancelled) toast({ severity: 'warning', message: `Staging cancelled: ${s.succeeded} staged, ${cancelled} stopped before finishing` });
        else if (s.failed === 0) toast({ severity: 'success', message: `All ${s.succeeded} device${s.succeeded === 1 ? '' : 's'} staged` });
        else toast({ severity: 'error', message: `${s.failed} of ${s.devices.length} devices failed — see the summary on the Bench` });
      } catch (err) {
        setRunError(messageOf(err));
        toast({ severity: 'error', message: `Staging could not start: ${messageOf(err)}` });
      } finally {
        setRunning(false);
        setCancelling(false);
      }
    },
    [toast],
  );

  const cancel = useCallback(async () => {
    setCancelling(true);
    try {
      await api().invoke('stage:cancel');
    } catch (err) {
      setCancelling(false);
      toast({ severity: 'error', message: `Could not cancel: ${messageOf(err)}` });
    }
  }, [toast]);

  const dismissSummary = useCallback(() => {
    setSummary(null);
    setRunError(null);
  }, []);

  const runFinished = Object.values(progress).filter(finished).length;

  return {
    devices, seen, loading, listError, progress, failures, running, cancelling, runTotal, runFinished, summary, runError, refresh, stage, cancel, dismissSummary,
  };
}

/** Context carrying the app-level bench state. */
export const BenchContext = createContext<BenchState | null>(null);

/** The bench state from context; throws when used outside `BenchContext.Provider`. */
export function useBench(): BenchState {
  const state = useContext(BenchContext);
  if (!state) throw new Error('useBench must be used inside BenchContext.Provider');
  return state;
}
