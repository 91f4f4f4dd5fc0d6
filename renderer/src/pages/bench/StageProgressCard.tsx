/**
 * Progress of the running staging job: devices finished out of the run, the overall bar, and
 * Cancel — which stops the remaining devices between steps (a step already talking to a device
 * finishes first, so no device is left with half an installation).
 */
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import StopCircleIcon from '@mui/icons-material/StopCircle';
import type { DeviceStageProgress } from '../../../../main/app/types';

/** Props: per-device progress, run size, finished count, cancel state and action. */
export interface StageProgressCardProps {
  progress: Record<string, DeviceStageProgress>;
  total: number;
  finished: number;
  cancelling: boolean;
  onCancel: () => void;
}

/** The progress card. */
export function StageProgressCard({ progress, total, finished, cancelling, onCancel }: StageProgressCardProps) {
  const values = Object.values(progress);
  const fraction = total ? values.reduce((a, p) => a + (p.state === 'failed' ? 1 : p.progress), 0) / total : 0;
  return (
    <Card data-testid="stage-progress" sx={{ p: 2.5 }}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1.5 }}>
        <Stack sx={{ flexGrow: 1 }}>
          <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
            {cancelling ? 'Cancelling — devices stop after their current step…' : `Staging ${total} device${total === 1 ? '' : 's'}`}
          </Typography>
          <Typography variant="body2" color="text.secondary" data-testid="stage-progress-count">
            {finished} of {total} finished · {Math.round(fraction * 100)}%
          </Typography>
        </Stack>
        <Button color="error" variant="outlined" startIcon={<StopCircleIcon />} onClick={onCancel} disabled={cancelling}>
          {cancelling ? 'Cancelling…' : 'Cancel remaining'}
        </Button>
      </Stack>
      <LinearProgress variant="determinate" value={Math.min(100, fraction * 100)} sx={{ height: 8, borderRadius: 4 }} aria-label="Staging progress" />
    </Card>
  );
}
