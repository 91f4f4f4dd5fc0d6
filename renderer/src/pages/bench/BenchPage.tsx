/**
 * Bench page: the blueprint bar (apply to all/selected, auto-apply), staging settings, live device
 * tiles with per-device progress (select, drop a .mobileconfig to install, open the log), the run
 * summary, and the per-device log drawer.
 */
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { AppInfo } from '../../../../main/ipc/contract';
import { useToast } from '../../components/Toasts';
import { useBench } from '../../hooks/useBench';
import { BlueprintCard } from './BlueprintCard';
import { patchBlueprints, useBlueprintStore } from './blueprint-store';
import { DeviceCard } from './DeviceCard';
import { DeviceLogDrawer } from './DeviceLogDrawer';
import { EmptyBench } from './EmptyBench';
import { KIND_LABEL, deviceKind } from './device-kind';
import { StageProgressCard } from './StageProgressCard';
import { StageSummaryCard } from './StageSummaryCard';
import { StagingForm } from './StagingForm';
import { fromBlueprint, fromStage } from './tile-progress';
import { useProfileDrop } from './useProfileDrop';

/** Props: app facts (for the usbmuxd hint) and navigation to Profiles. */
export interface BenchPageProps {
  info: AppInfo | null;
  onOpenProfiles: () => void;
}

/** The Bench page. */
export function BenchPage({ info, onOpenProfiles }: BenchPageProps) {
  const bench = useBench();
  const blueprints = useBlueprintStore();
  const toast = useToast();
  const dropProfile = useProfileDrop(toast);
  const { devices } = bench;
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [logOf, setLogOf] = useState<string | null>(null);
  const selected = devices.filter((d) => picked.has(d.udid)).map((d) => d.udid);
  // A device unplugged mid-run stays on the bench while its run waits for it to come back.
  const attachedIds = new Set(devices.map((d) => d.udid));
  const waiting = Object.values(blueprints.progress)
    .filter((p) => p.device === 'waiting' && !attachedIds.has(p.udid) && bench.seen[p.udid])
    .map((p) => bench.seen[p.udid]);
  const tiles = [...devices, ...waiting];
  const nameOf = (udid: string): string => {
    const d = bench.seen[udid];
    return d?.deviceName || (d ? `${KIND_LABEL[deviceKind(d)]} ${udid.slice(-6)}` : udid);
  };

  return (
    <Stack spacing={3} data-testid="bench-page">
      <BlueprintCard
        attached={devices.length}
        selected={selected}
        stagingRunning={bench.running}
        onRunStart={() => {
          bench.dismissSummary();
        }}
      />
      <StagingForm
        deviceCount={devices.length}
        running={bench.running}
        onStage={(input) => {
          patchBlueprints({ progress: {}, failures: {} });
          void bench.stage(input);
        }}
        onOpenProfiles={onOpenProfiles}
      />
      {bench.running && (
        <StageProgressCard progress={bench.progress} total={bench.runTotal} finished={bench.runFinished} cancelling={bench.cancelling} onCancel={() => void bench.cancel()} />
      )}
      {bench.runError && (
        <Alert severity="error" onClose={bench.dismissSummary} data-testid="stage-error">
          Staging could not start: {bench.runError}
        </Alert>
      )}
      {bench.summary && <StageSummaryCard summary={bench.summary} devices={bench.seen} onDismiss={bench.dismissSummary} />}
      <Box>
        <Stack direction="row" sx={{ alignItems: 'baseline', mb: 1.5 }} spacing={1.5}>
          <Typography variant="h6" component="h2">
            Attached devices
          </Typography>
          <Typography variant="body2" color="text.secondary" data-testid="device-count">
            {devices.length === 1 ? '1 device' : `${devices.length} devices`}
          </Typography>
          {devices.length > 0 && (
            <Typography variant="body2" color="text.secondary" data-testid="device-selected-count">
              · {selected.length ? `${selected.length} selected` : 'none selected — runs use all'}
            </Typography>
          )}
          <Box sx={{ flexGrow: 1 }} />
          {devices.length > 1 && (
            <Button size="small" onClick={() => setPicked(selected.length === devices.length ? new Set() : new Set(devices.map((d) => d.udid)))}>
              {selected.length === devices.length ? 'Clear selection' : 'Select all'}
            </Button>
          )}
        </Stack>
        {tiles.length === 0 ? (
          bench.loading ? null : <EmptyBench usbmuxdAddress={info?.usbmuxdAddress ?? null} error={bench.listError} onRefresh={() => void bench.refresh()} />
        ) : (
          <Grid container spacing={2}>
            {tiles.map((d) => {
              const bp = blueprints.progress[d.udid];
              const run = bp ? fromBlueprint(bp) : fromStage(bench.progress[d.udid]);
              const failure = bp ? blueprints.failures[d.udid] : bench.failures[d.udid];
              return (
                <Grid key={d.udid} size={{ xs: 12, md: 6, xl: 4 }}>
                  <DeviceCard
                    device={d}
                    unplugged={!attachedIds.has(d.udid)}
                    run={run}
                    failure={run?.state === 'failed' ? (failure ?? run.message) : undefined}
                    selected={picked.has(d.udid)}
                    onSelect={(on) =>
                      setPicked((s) => {
                        const n = new Set(s);
                        if (on) n.add(d.udid);
                        else n.delete(d.udid);
                        return n;
                      })
                    }
                    onShowLog={() => setLogOf(d.udid)}
                    onDropProfile={(file) => void dropProfile(d.udid, nameOf(d.udid), file)}
                  />
                </Grid>
              );
            })}
          </Grid>
        )}
      </Box>
      <DeviceLogDrawer udid={logOf} name={logOf ? nameOf(logOf) : ''} onClose={() => setLogOf(null)} />
    </Stack>
  );
}
