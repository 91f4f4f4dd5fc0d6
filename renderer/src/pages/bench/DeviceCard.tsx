/**
 * One attached device: kind icon, name, model, OS, pairing, its run progress (staging or a
 * blueprint), a selection checkbox, a log button, and a drop target for `.mobileconfig` files
 * (installed on this device through MCInstall).
 */
import { useState, type DragEvent } from 'react';
import Checkbox from '@mui/material/Checkbox';
import IconButton from '@mui/material/IconButton';
import ArticleOutlinedIcon from '@mui/icons-material/ArticleOutlined';
import InstallMobileIcon from '@mui/icons-material/InstallMobile';
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
import type { DeviceRow, StageStepState } from '../../../../main/app/types';
import { deviceKind, KIND_LABEL, KindIcon, osName } from './device-kind';
import type { DeviceRunState } from './steps';
import type { TileProgress } from './tile-progress';

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
  running: { label: 'Running', color: 'info' },
  done: { label: 'Staged', color: 'success' },
  failed: { label: 'Failed', color: 'error' },
};

/** Props: the device row, its run view, the failed step's message, selection, log and drop actions. */
export interface DeviceCardProps {
  device: DeviceRow;
  /** Unplugged while its run waits for it (shown dimmed, no actions). */
  unplugged?: boolean;
  run?: TileProgress | null;
  failure?: string;
  selected?: boolean;
  onSelect?: (selected: boolean) => void;
  onShowLog?: () => void;
  /** A `.mobileconfig` file dropped on the tile. */
  onDropProfile?: (file: File) => void;
}

function isProfileDrag(e: DragEvent): boolean {
  return Array.from(e.dataTransfer.types).includes('Files');
}

const IDLE_STEPS: TileProgress['steps'] = [
  { step: 'pair', label: 'Pair', state: 'pending' },
  { step: 'info', label: 'Info', state: 'pending' },
  { step: 'wifi-profile', label: 'Wi-Fi', state: 'pending' },
  { step: 'enrollment-profile', label: 'Enrollment', state: 'pending' },
  { step: 'verify', label: 'Verify', state: 'pending' },
];

/** Card of one device. `data-state` carries the run state (idle | running | done | failed). */
export function DeviceCard({ device, unplugged = false, run, failure, selected = false, onSelect, onShowLog, onDropProfile }: DeviceCardProps) {
  const kind = deviceKind(device);
  const state: DeviceRunState = run?.state ?? 'idle';
  const percent = run?.percent ?? 0;
  const name = device.deviceName || `${KIND_LABEL[kind]} ${device.udid.slice(-6)}`;
  const [dragOver, setDragOver] = useState(false);
  const drop = onDropProfile && !unplugged
    ? {
        'data-dropzone': 'mobileconfig',
        onDragOver: (e: DragEvent) => {
          if (!isProfileDrag(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragOver(true);
        },
        onDragLeave: () => setDragOver(false),
        onDrop: (e: DragEvent) => {
          setDragOver(false);
          const file = Array.from(e.dataTransfer.files)[0];
          if (!file) return;
          e.preventDefault();
          e.stopPropagation();
          onDropProfile(file);
        },
      }
    : {};
  const steps = run?.steps ?? [];
  return (
    <Card
      data-testid="device-card"
      data-udid={device.udid}
      data-state={state}
      data-run={run?.kind ?? 'none'}
      data-unplugged={unplugged || undefined}
      {...drop}
      sx={{
        height: '100%', position: 'relative', outline: 2, borderStyle: unplugged ? 'dashed' : undefined, borderColor: unplugged ? 'warning.main' : undefined, outlineOffset: -2,
        outlineColor: dragOver ? 'primary.main' : selected ? 'primary.light' : 'transparent', transition: 'outline-color 120ms',
      }}
    >
      {dragOver && (
        <Stack
          spacing={1}
          sx={{ position: 'absolute', inset: 0, zIndex: 1, alignItems: 'center', justifyContent: 'center', bgcolor: 'background.paper', opacity: 0.94, color: 'primary.main', pointerEvents: 'none' }}
        >
          <InstallMobileIcon sx={{ fontSize: 36 }} />
          <Typography variant="subtitle2">Drop to install the profile on {name}</Typography>
        </Stack>
      )}
      <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'flex-start' }}>
          {onSelect && !unplugged && (
            <Checkbox
              checked={selected}
              onChange={(e) => onSelect(e.target.checked)}
              slotProps={{ input: { 'aria-label': `Select ${name}` } }}
              sx={{ ml: -1, mt: 0.5, p: 0.5 }}
              size="small"
            />
          )}
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
              color={unplugged ? 'warning' : device.paired ? 'success' : 'warning'}
              label={unplugged ? 'Unplugged' : device.paired ? 'Paired' : 'Not paired'}
            />
            {state !== 'idle' && (
              <Chip
                size="small"
                color={run?.waiting ? 'warning' : RUN_CHIP[state].color}
                label={run?.waiting ? 'Reconnect' : run?.kind === 'stage' && state === 'running' ? 'Staging' : run?.kind === 'stage' && state === 'done' ? 'Staged' : RUN_CHIP[state].label}
              />
            )}
          </Stack>
        </Stack>

        <Box>
          <LinearProgress
            variant="determinate"
            value={percent}
            color={state === 'failed' ? 'error' : state === 'done' ? 'success' : 'primary'}
            aria-label={`Progress of ${name}`}
            sx={{ height: 6, borderRadius: 3 }}
          />
          <Stack direction="row" sx={{ justifyContent: 'space-between', mt: 1 }}>
            {(steps.length ? steps : IDLE_STEPS).map(({ step, label, state: s }) => {
              return (
                <Tooltip key={step} title={`${label}: ${s}`}>
                  <Stack data-step={step} data-step-state={s} sx={{ alignItems: 'center', minWidth: 40 }} spacing={0.25}>
                    <Box sx={{ width: 20, height: 20, display: 'grid', placeItems: 'center' }}>
                      <StepMarker state={s} />
                    </Box>
                    <Typography variant="caption" noWrap color={s === 'pending' ? 'text.disabled' : 'text.secondary'}>
                      {label}
                    </Typography>
                  </Stack>
                </Tooltip>
              );
            })}
          </Stack>
        </Box>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
          <Typography
            variant="body2"
            color={state === 'failed' ? 'error' : run?.waiting ? 'warning.main' : 'text.secondary'}
            sx={{ flexGrow: 1, minHeight: 20, display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}
            title={failure ?? run?.message}
            data-testid="device-message"
          >
            {state === 'failed' && failure
              ? failure
              : run
                ? run.message || (state === 'done' ? 'Finished' : 'Working…')
                : device.paired
                  ? 'Ready — drop a .mobileconfig here to install it'
                  : 'Will ask to trust this computer'}
          </Typography>
          {onShowLog && (
            <Tooltip title="Device log">
              <IconButton size="small" onClick={onShowLog} aria-label={`Log of ${name}`} sx={{ mt: -0.5 }}>
                <ArticleOutlinedIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
