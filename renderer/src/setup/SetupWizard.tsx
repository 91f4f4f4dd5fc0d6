/**
 * First-run setup: organization name, signing identity, tenant (optional), then the path to the
 * first staged device (signed enrollment profile → device connected → Stage). Shown once on a new
 * bench (until finished or skipped); reopened from Settings or the command palette.
 */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import KeyIcon from '@mui/icons-material/Key';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import type { AppStatus } from '../../../main/ipc/contract';
import { messageOf } from '../api';
import { IdentityImportForm } from '../drop/IdentityImportDialog';
import { useIdentities, useProfiles } from '../hooks/useProfiles';
import type { SettingsState } from '../hooks/useSettings';
import type { PageId } from '../shell/nav';

const STEPS = ['Organization', 'Signing identity', 'Tenant (optional)', 'First device'];

/** Props: open flag, settings, status, attached device count, and where to go when done. */
export interface SetupWizardProps {
  open: boolean;
  settings: SettingsState;
  status: AppStatus | null;
  attached: number;
  onClose: () => void;
  onFinish: (page: PageId) => void;
}

function Check({ done, primary, secondary }: { done: boolean; primary: string; secondary: string }) {
  return (
    <ListItem disableGutters data-testid="setup-check" data-done={done}>
      <ListItemIcon sx={{ minWidth: 36 }}>{done ? <CheckCircleIcon color="success" /> : <RadioButtonUncheckedIcon color="disabled" />}</ListItemIcon>
      <ListItemText primary={primary} secondary={secondary} />
    </ListItem>
  );
}

/** The wizard dialog. */
export function SetupWizard({ open, settings, status, attached, onClose, onFinish }: SetupWizardProps) {
  const [step, setStep] = useState(0);
  const [org, setOrg] = useState('');
  const [error, setError] = useState<string | null>(null);
  const identities = useIdentities();
  const profiles = useProfiles();
  const { reload: reloadIdentities } = identities;
  const { reload: reloadProfiles } = profiles;

  useEffect(() => {
    if (open) {
      setStep(0);
      setOrg(settings.settings?.organizationName ?? '');
      void reloadIdentities();
      void reloadProfiles();
    }
  }, [open, settings.settings?.organizationName, reloadIdentities, reloadProfiles]);

  const finish = async (page: PageId | null) => {
    try {
      await settings.save({ organizationName: org, setupCompleted: true });
      if (page) onFinish(page);
      else onClose();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const hasIdentity = identities.rows.length > 0;
  const hasSigned = profiles.rows.some((p) => p.signed);
  const next = () => setStep((s) => Math.min(STEPS.length - 1, s + 1));
  const nextPage: PageId = !hasSigned ? 'profiles' : 'bench';

  return (
    <Dialog open={open} onClose={() => void finish(null)} maxWidth="md" fullWidth aria-labelledby="setup-title">
      <DialogTitle id="setup-title">
        Set up this bench
        <Typography variant="body2" color="text.secondary">
          Four short steps to your first staged device. You can change everything later in Settings.
        </Typography>
      </DialogTitle>
      <DialogContent dividers data-testid="setup-wizard">
        <Stepper activeStep={step} sx={{ mb: 3 }}>
          {STEPS.map((s) => (
            <Step key={s}>
              <StepLabel>{s}</StepLabel>
            </Step>
          ))}
        </Stepper>
        <Box sx={{ minHeight: 260 }}>
          {step === 0 && (
            <Stack spacing={2} component="form" onSubmit={(e) => { e.preventDefault(); next(); }}>
              <Typography>Which organization do these devices belong to? It becomes the default organization of the profiles you build.</Typography>
              <TextField autoFocus label="Organization name" name="setup-organization" value={org} onChange={(e) => setOrg(e.target.value)} placeholder="Example Corp IT" />
            </Stack>
          )}
          {step === 1 && (
            <Stack spacing={2}>
              <Typography>
                Enrollment profiles are signed so devices show them as verified. Import the certificate and private key (.p12) your
                organization uses for profile signing. You can also drop a .p12 file onto the window at any time.
              </Typography>
              {hasIdentity ? (
                <Alert severity="success" icon={<KeyIcon />} data-testid="setup-identity-done">
                  {identities.rows.length === 1 ? `“${identities.rows[0].label}” is ready to sign.` : `${identities.rows.length} identities are ready to sign.`}
                </Alert>
              ) : (
                <IdentityImportForm onImported={() => void reloadIdentities()} />
              )}
            </Stack>
          )}
          {step === 2 && (
            <Stack spacing={2}>
              <Typography>
                Connecting your Ivanti Neurons for MDM / EPMM tenant mirrors its devices and users here. It is optional: the bench stages
                devices without it.
              </Typography>
              <Alert severity="info">
                {status?.features.sync
                  ? 'Connect the tenant on the Sync page after this setup.'
                  : 'Tenant sync is not available on this workstation yet. Skip this step; the status bar will show the tenant once it is.'}
              </Alert>
            </Stack>
          )}
          {step === 3 && (
            <Stack spacing={1}>
              <Typography>Your first staged device:</Typography>
              <List dense>
                <Check done={hasIdentity} primary="A signing identity is imported" secondary="Step 2, or the Profiles page" />
                <Check done={hasSigned} primary="A signed enrollment profile exists" secondary="Profiles › build the enrollment profile, then Sign…" />
                <Check done={attached > 0} primary="A device is connected over USB" secondary={attached > 0 ? `${attached} attached now` : 'Connect and unlock an iPhone, iPad or Apple TV'} />
                <Check done={false} primary="Stage it" secondary="Bench › Wi-Fi settings and profile › Stage" />
              </List>
            </Stack>
          )}
        </Box>
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 2 }}>
        <Button onClick={() => void finish(null)}>Skip setup</Button>
        <Box sx={{ flexGrow: 1 }} />
        {step > 0 && <Button onClick={() => setStep((s) => s - 1)}>Back</Button>}
        {step < STEPS.length - 1 ? (
          <Button variant="contained" onClick={next}>
            {step === 1 && !hasIdentity ? 'Later' : step === 2 ? 'Skip for now' : 'Continue'}
          </Button>
        ) : (
          <Button variant="contained" onClick={() => void finish(nextPage)}>
            {nextPage === 'profiles' ? 'Finish and build the profile' : 'Finish and open the Bench'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
