/**
 * Dialog: a new blueprint as an ordered list of steps — join a Wi-Fi network (password sealed on
 * save, never shown again), install a signed enrollment profile or other stored profiles, prepare
 * (manual or Automated Device Enrollment, supervised by an organization, Setup Assistant panes to
 * skip), name the device from a pattern, set language / region / time zone, erase. Steps move up
 * and down; the service validates everything before saving and its issues show under the step
 * they concern (`actions.N`), the rest above the buttons.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import type { BlueprintSummaryOut, SkipKeyGroupOut } from '../../../../main/ipc/contract-blueprints';
import type { OrganizationOut } from '../../../../main/ipc/contract-organizations';
import { api, messageOf } from '../../api';
import { useProfiles } from '../../hooks/useProfiles';
import { actionOf, draftProblem, moveItem, newDraft, splitIssues, STEP_TITLES, STEP_TYPES, timeZones, type SplitIssues, type StepDraft } from './blueprint-drafts';
import { BlueprintStepEditor, type StepChoices } from './BlueprintStepEditor';

/** Props: open flag, close, and the created blueprint. */
export interface NewBlueprintDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (b: BlueprintSummaryOut) => void;
}

const NO_ISSUES: SplitIssues = { steps: {}, general: [] };

/** The dialog. */
export function NewBlueprintDialog({ open, onClose, onCreated }: NewBlueprintDialogProps) {
  const profiles = useProfiles();
  const [organizations, setOrganizations] = useState<OrganizationOut[]>([]);
  const [skipKeys, setSkipKeys] = useState<SkipKeyGroupOut[]>([]);
  const zones = useMemo(() => timeZones(), []);
  const [name, setName] = useState('');
  const [steps, setSteps] = useState<StepDraft[]>([]);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [issues, setIssues] = useState<SplitIssues>(NO_ISSUES);

  useEffect(() => {
    if (!open) return;
    let live = true;
    const load = async () => {
      try {
        const [orgs, keys] = await Promise.all([api().invoke('organizations:list'), api().invoke('blueprints:skip-keys')]);
        if (!live) return;
        setOrganizations(orgs);
        setSkipKeys(keys);
      } catch (err) {
        if (live) setIssues({ steps: {}, general: [`Cannot load organizations and skip keys: ${messageOf(err)}`] });
      }
    };
    void load();
    return () => {
      live = false;
    };
  }, [open]);

  const choices: StepChoices = {
    enrollment: profiles.rows.filter((p) => p.signed && p.payloadTypes.includes('com.apple.mdm')),
    others: profiles.rows.filter((p) => !p.payloadTypes.includes('com.apple.mdm')),
    organizations,
    skipKeys,
    timeZones: zones,
  };
  const own = steps.map(draftProblem);

  const update = (next: StepDraft[]) => {
    setSteps(next);
    setIssues(NO_ISSUES); // service issues refer to positions that may have changed
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (own.some(Boolean)) return;
    setBusy(true);
    setIssues(NO_ISSUES);
    try {
      const b = await api().invoke('blueprints:create', { name: name.trim(), actions: steps.map(actionOf) });
      setName('');
      setSteps([]);
      setTried(false);
      onCreated(b);
    } catch (err) {
      setIssues(splitIssues(messageOf(err)));
    } finally {
      // Wi-Fi passwords are not kept in the form after an attempt.
      setSteps((s) => s.map((d) => (d.type === 'wifi' ? { ...d, password: '' } : d)));
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} maxWidth="md" fullWidth>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="new-blueprint-form">
        <DialogTitle>New blueprint</DialogTitle>
        <DialogContent>
          <Stack spacing={1.5} sx={{ pt: 0.5 }}>
            <TextField label="Blueprint name" value={name} onChange={(e) => setName(e.target.value)} required fullWidth autoFocus placeholder="Classroom iPads" />
            {steps.length === 0 && (
              <Typography variant="body2" color="text.secondary">
                Add the steps every device runs, in order — for example Prepare, Language &amp; time zone, Enrollment profile, Device name.
              </Typography>
            )}
            {steps.map((d, i) => (
              <BlueprintStepEditor
                key={d.key}
                draft={d}
                index={i}
                count={steps.length}
                choices={choices}
                problems={[...(tried && own[i] ? [own[i]] : []), ...(issues.steps[i] ?? [])]}
                onChange={(nd) => update(steps.map((x) => (x.key === d.key ? nd : x)))}
                onMove={(delta) => update(moveItem(steps, i, delta))}
                onRemove={() => update(steps.filter((x) => x.key !== d.key))}
              />
            ))}
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }} data-testid="blueprint-add-step">
              <Typography variant="body2" color="text.secondary">
                Add step:
              </Typography>
              {STEP_TYPES.map((t) => (
                <Button key={t} size="small" variant="outlined" startIcon={<AddIcon />} onClick={() => update([...steps, newDraft(t)])}>
                  {STEP_TITLES[t]}
                </Button>
              ))}
            </Stack>
            {issues.general.length > 0 && (
              <Alert severity="error" data-testid="blueprint-error">
                {issues.general.map((g, i) => (
                  <div key={i}>{g}</div>
                ))}
              </Alert>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" disabled={busy || !name.trim() || steps.length === 0}>
            {busy ? 'Saving…' : 'Save blueprint'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
