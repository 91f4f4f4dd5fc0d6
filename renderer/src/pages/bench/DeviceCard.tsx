/** One attached device: kind icon, name, model, OS, pairing, and its staging progress. */
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import RemoveCircleOutlineIcon from '@mui/icons-material/RemoveCircleOutlineOutlined';
import type { DeviceRow, DeviceStageProgress, StageStepState } from '../../../../main/app/types';
import { deviceKind, KIND_LABEL, KindIcon, osName } from './device-kind';
import { percentOf, runStateOf, STEP_LABELS, type DeviceRunState } from './steps';

function StepMarker({ state }: { state: StageStepState }) {
  switch (state) {
    case 'done':
      return <CheckCircleIcon color="success" fontSize="small" />;
    case 'running':
      return <CircularProgress size={16} thickness={6} />;
    case 'failed':
      return <ErrorIcon color="error" fontSize="small" />;
    case 'skipped':
      return <RemoveCircleOutlineIcon color="disabled" fontSize="small" />;
    default:
      return <RadioButtonUncheckedIcon color="disabled" fontSize="small" />;
  }
}

const RUN_CHIP: Record<Exclude<DeviceRunState, 'idle'>, { label: string; color: 'info' | 'success' | 'error' }> = {
  running: { label: 'Staging', color: 'info' },
  done: { label: 'Staged', color: 'success' },
  failed: { label: 'Failed', color: 'error' },
};

/** Props: the device row, its latest progress event and the failed step's message (if any). */
export interface DeviceCardProps {
  device: DeviceRow;
  progress?: DeviceStageProgress;
  failure?: string;
}

/** Card of one device. `data-state` carries the run state (idle | running | done | failed). */
export function DeviceCard({ device, progress, failure }: DeviceCardProps) {
  const kind = deviceKind(device);
  const state = runStateOf(progress);
  const percent = percentOf(progress);
  const name = device.deviceName || `${KIND_LABEL[kind]} ${device.udid.slice(-6)}`;
  return (
    <Card data-testid="device-card" data-udid={device.udid} data-state={state} sx={{ height: '100%' }}>
      <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'flex-start' }}>
          <Box
            sx={{
              width: 44,
              height: 44,
              borderRadius: 2,
              display: 'grid',
              placeItems: 'center',
              bgcolor: 'action.hover',
              color: 'primary.main',
              flexShrink: 0,
            }}
          >
            <KindIcon kind={kind} />
          </Box>
          <Box sx={{ minWidth: 0, flexGrow: 1 }}>
            <Typography variant="subtitle1" sx={{ fontWeight: 600 }} noWrap title={name}>
              {name}
            </Typography>
            <Typography variant="body2" color="text.secondary" noWrap>
              {[device.productType ?? KIND_LABEL[kind], device.productVersion ? `${osName(kind)} ${device.productVersion}` : null]
                .filter(Boolean)
                .join(' · ')}
            </Typography>
            <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }} noWrap title={device.udid}>
              {device.serialNumber ?? device.udid}
            </Typography>
          </Box>
          <Stack spacing={0.5} sx={{ alignItems: 'flex-end' }}>
            <Chip
              size="small"
              variant="outlined"
              color={device.paired ? 'success' : 'warning'}
              label={device.paired ? 'Paired' : 'Not paired'}
            />
            {state !== 'idle' && <Chip size="small" color={RUN_CHIP[state].color} label={RUN_CHIP[state].label} />}
          </Stack>
        </Stack>

        <Box>
          <LinearProgress
            variant="determinate"
            value={percent}
            color={state === 'failed' ? 'error' : state === 'done' ? 'success' : 'primary'}
            aria-label={`Staging progress of ${name}`}
            sx={{ height: 6, borderRadius: 3 }}
          />
          <Stack direction="row" sx={{ justifyContent: 'space-between', mt: 1 }}>
            {STEP_LABELS.map(({ step, label }) => {
              const s = progress?.steps[step] ?? 'pending';
              return (
                <Tooltip key={step} title={`${label}: ${s}`}>
                  <Stack data-step={step} data-step-state={s} sx={{ alignItems: 'center', minWidth: 48 }} spacing={0.25}>
                    <Box sx={{ width: 20, height: 20, display: 'grid', placeItems: 'center' }}>
                      <StepMarker state={s} />
                    </Box>
                    <Typography variant="caption" color={s === 'pending' ? 'text.disabled' : 'text.secondary'}>
                      {label}
                    </Typography>
                  </Stack>
                </Tooltip>
              );
            })}
          </Stack>
        </Box>
        <Typography
          variant="body2"
          color={state === 'failed' ? 'error' : 'text.secondary'}
          sx={{ minHeight: 20, display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}
          title={failure ?? progress?.message}
          data-testid="device-message"
        >
          {state === 'failed' && failure
            ? failure
            : progress
              ? progress.message || 'Working…'
              : device.paired
                ? 'Ready to stage'
                : 'Will ask to trust this computer'}
        </Typography>
      </CardContent>
    </Card>
  );
}
