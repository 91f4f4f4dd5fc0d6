/** Bench page: staging settings, live device tiles with per-device progress, run summary. */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { AppInfo } from '../../../../main/ipc/contract';
import { useBench } from '../../hooks/useBench';
import { DeviceCard } from './DeviceCard';
import { EmptyBench } from './EmptyBench';
import { StageProgressCard } from './StageProgressCard';
import { StageSummaryCard } from './StageSummaryCard';
import { StagingForm } from './StagingForm';

/** Props: app facts (for the usbmuxd hint) and navigation to Profiles. */
export interface BenchPageProps {
  info: AppInfo | null;
  onOpenProfiles: () => void;
}

/** The Bench page. */
export function BenchPage({ info, onOpenProfiles }: BenchPageProps) {
  const bench = useBench();
  const { devices } = bench;
  return (
    <Stack spacing={3} data-testid="bench-page">
      <StagingForm deviceCount={devices.length} running={bench.running} onStage={(input) => void bench.stage(input)} onOpenProfiles={onOpenProfiles} />
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
        </Stack>
        {devices.length === 0 ? (
          bench.loading ? null : <EmptyBench usbmuxdAddress={info?.usbmuxdAddress ?? null} error={bench.listError} onRefresh={() => void bench.refresh()} />
        ) : (
          <Grid container spacing={2}>
            {devices.map((d) => (
              <Grid key={d.udid} size={{ xs: 12, md: 6, xl: 4 }}>
                <DeviceCard device={d} progress={bench.progress[d.udid]} failure={bench.failures[d.udid]} />
              </Grid>
            ))}
          </Grid>
        )}
      </Box>
    </Stack>
  );
}
