/**
 * The Bench's blueprint bar: choose a blueprint, see its steps, apply it to all or the selected
 * devices (cancel between steps), turn auto-apply on for newly attached devices, create or import one.
 */
import { useEffect, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import StopCircleIcon from '@mui/icons-material/StopCircle';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { messageOf } from '../../api';
import { SectionCard } from '../../components/SectionCard';
import { useToast } from '../../components/Toasts';
import { applyBlueprint, cancelBlueprint, deleteBlueprint, importBlueprint, setAutoApply } from './blueprint-actions';
import { loadBlueprints, onAutoRun, patchBlueprints, useBlueprintStore } from './blueprint-store';
import { NewBlueprintDialog } from './NewBlueprintDialog';

/** Props: attached and selected devices, whether staging runs (blocks applying). */
export interface BlueprintCardProps {
  attached: number;
  selected: string[];
  stagingRunning: boolean;
  /** Called when a run starts (the page clears staging progress). */
  onRunStart: () => void;
}

/** The card. */
export function BlueprintCard({ attached, selected, stagingRunning, onRunStart }: BlueprintCardProps) {
  const toast = useToast();
  const st = useBlueprintStore();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const current = st.blueprints.find((b) => b.name === st.selected) ?? null;
  const all = Object.values(st.progress);
  const over = all.filter((p) => Object.values(p.steps).includes('failed') || Object.values(p.steps).every((s) => s === 'done' || s === 'skipped')).length;
  const waiting = all.filter((p) => p.device === 'waiting').length;

  useEffect(() => {
    loadBlueprints().catch((err: unknown) => toast({ severity: 'error', message: `Cannot list blueprints: ${messageOf(err)}` }));
    return onAutoRun((r) =>
      toast({
        severity: r.failed ? 'error' : 'success',
        message: r.failed ? `Auto-apply “${r.blueprint}” failed on ${r.devices[0]?.udid ?? 'a device'} — open its log` : `Auto-apply “${r.blueprint}” finished on ${r.devices[0]?.udid ?? 'a device'}`,
      }),
    );
  }, [toast]);

  const count = selected.length || attached;
  const applyLabel = selected.length ? `Apply to ${selected.length} selected` : `Apply to all ${attached} device${attached === 1 ? '' : 's'}`;
  const autoOn = st.autoApply.active;

  return (
    <SectionCard
      title="Blueprint"
      testId="blueprint-card"
      subtitle="A saved recipe of steps — prepare, Wi-Fi, enrollment, profiles, device name, language, erase — run on every device you choose."
      actions={
        <Stack direction="row" spacing={1}>
          <Button startIcon={<UploadFileIcon />} onClick={() => fileRef.current?.click()}>
            Import…
          </Button>
          <Button startIcon={<AddIcon />} onClick={() => setCreating(true)}>
            New blueprint
          </Button>
          <input
            ref={fileRef}
            type="file"
            name="blueprint-file"
            accept=".json,.stagebench-blueprint"
            hidden
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importBlueprint(f, toast);
            }}
          />
        </Stack>
      }
    >
      {st.loaded && st.blueprints.length === 0 ? (
        <Typography color="text.secondary" data-testid="blueprint-empty">
          No blueprints yet. Create one with <b>New blueprint</b> (for example: join the lab Wi-Fi, install the signed enrollment profile, name the
          device <code>Lab-{'{counter}'}</code>), or import a file exported with <code>stagebench blueprint export</code>.
        </Typography>
      ) : (
        <Stack spacing={2}>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' } }}>
            <TextField
              select
              label="Blueprint"
              value={st.selected ?? ''}
              onChange={(e) => patchBlueprints({ selected: e.target.value })}
              sx={{ minWidth: 280 }}
              size="small"
              disabled={st.applying}
              slotProps={{ htmlInput: { 'data-testid': 'blueprint-select' } }}
            >
              {st.blueprints.map((b) => (
                <MenuItem key={b.id} value={b.name}>
                  {b.name}
                  {!b.ready ? ' (not ready)' : ''}
                </MenuItem>
              ))}
            </TextField>
            {current && (
              <Tooltip title={st.autoApply.blueprint === current.name ? 'Turn auto-apply off first' : `Delete “${current.name}”`}>
                <span>
                  <IconButton
                    aria-label={`Delete blueprint ${current.name}`}
                    disabled={st.applying || st.autoApply.blueprint === current.name}
                    onClick={() => setDeleting(current.name)}
                  >
                    <DeleteIcon />
                  </IconButton>
                </span>
              </Tooltip>
            )}
            <Stack direction="row" spacing={0.75} useFlexGap sx={{ flexWrap: 'wrap', flexGrow: 1 }} data-testid="blueprint-steps">
              {current?.actions.map((a, i) => <Chip key={i} size="small" variant="outlined" label={`${i + 1}. ${a}`} />)}
            </Stack>
          </Stack>
          {current && !current.ready && <Alert severity="warning">This blueprint cannot run yet: {current.problems.join('; ')}</Alert>}
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
            {st.applying ? (
              <Button color="error" variant="outlined" startIcon={<StopCircleIcon />} disabled={st.cancelling} onClick={() => void cancelBlueprint(toast)}>
                {st.cancelling ? 'Cancelling…' : 'Cancel remaining'}
              </Button>
            ) : (
              <Button
                variant="contained"
                startIcon={<PlayArrowIcon />}
                disabled={!current?.ready || count === 0 || stagingRunning}
                onClick={() => {
                  onRunStart();
                  void applyBlueprint(current!.name, selected, toast);
                }}
              >
                {applyLabel}
              </Button>
            )}
            {st.applying && (
              <Typography variant="body2" color="text.secondary" data-testid="blueprint-running">
                {st.cancelling
                  ? 'Devices stop after their current step…'
                  : `${over} of ${all.length || count} finished${waiting ? ` · ${waiting} unplugged — reconnect to resume` : ''}`}
              </Typography>
            )}
            {!st.applying && st.lastRun && !st.lastRun.auto && (
              <Typography variant="body2" color={st.lastRun.failed ? 'error' : 'success.main'} data-testid="blueprint-summary">
                Last run: {st.lastRun.succeeded} of {st.lastRun.devices.length} finished{st.lastRun.failed ? `, ${st.lastRun.failed} failed` : ''}
                {st.lastRun.devices.some((d) => d.resumes) ? `, ${st.lastRun.devices.filter((d) => d.resumes).length} resumed after a reconnect` : ''}
              </Typography>
            )}
            <Stack sx={{ flexGrow: 1 }} />
            <FormControlLabel
              control={
                <Switch
                  checked={autoOn}
                  disabled={!current?.ready && !autoOn}
                  onChange={(e) => void setAutoApply(e.target.checked ? (current?.name ?? null) : null, toast)}
                />
              }
              label={autoOn ? `Auto-apply “${st.autoApply.blueprint}” to newly attached devices` : 'Auto-apply to newly attached devices'}
            />
          </Stack>
        </Stack>
      )}
      <Dialog open={deleting !== null} onClose={() => setDeleting(null)} data-testid="delete-blueprint-dialog">
        <DialogTitle>Delete “{deleting}”?</DialogTitle>
        <DialogContent>
          <DialogContentText>The blueprint and its sealed secrets are removed. Devices it already ran on keep what it installed; run logs stay.</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(null)}>Cancel</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              const target = deleting!;
              setDeleting(null);
              void deleteBlueprint(target, toast);
            }}
          >
            Delete blueprint
          </Button>
        </DialogActions>
      </Dialog>
      <NewBlueprintDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(b) => {
          setCreating(false);
          toast({ severity: 'success', message: `Blueprint “${b.name}” saved` });
          void loadBlueprints().then(() => patchBlueprints({ selected: b.name }));
        }}
      />
    </SectionCard>
  );
}
