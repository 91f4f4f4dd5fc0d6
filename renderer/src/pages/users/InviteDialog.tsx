/**
 * Invite the chosen users: language (each user's own by default) and platform, then the service
 * issues one invitation each (replacing any open one) with a fresh one-time PIN; the result opens
 * in the issued-invitations dialog, the only place the PINs are ever shown.
 */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import type { IssuedInvitationOut, RegistrationSettingsView, RegistrationUserOut } from '../../../../main/ipc/contract-registration';
import type { Language } from '../../../../main/registration/types';
import { api } from '../../api';
import { fieldError } from './field-errors';
import { LANGUAGE_LABELS } from './labels';

/** Props: the users to invite (null = closed), the settings view, and callbacks. */
export interface InviteDialogProps {
  users: RegistrationUserOut[] | null;
  view: RegistrationSettingsView | null;
  onClose: () => void;
  onIssued: (issued: IssuedInvitationOut[]) => void;
  onOpenSettings: () => void;
}

/** The invite dialog. */
export function InviteDialog({ users, view, onClose, onIssued, onOpenSettings }: InviteDialogProps) {
  const [language, setLanguage] = useState<Language | 'user'>('user');
  const [platform, setPlatform] = useState<'ios' | 'macos'>('ios');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (users) setError(null);
  }, [users]);
  const noRole = (users ?? []).filter((u) => u.role === 'none');
  const invite = async () => {
    if (!users) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api().invoke('invitations:invite', { users: users.map((u) => u.id), platform, ...(language === 'user' ? {} : { language }) });
      onIssued(r.invitations);
    } catch (err) {
      setError(fieldError(err).message);
    } finally {
      setBusy(false);
    }
  };
  const n = users?.length ?? 0;
  return (
    <Dialog open={!!users} onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="invite-title">
      <DialogTitle id="invite-title">Invite {n === 1 ? users?.[0].email : `${n} users`}</DialogTitle>
      <DialogContent>
        <Stack spacing={2.5} sx={{ pt: 1 }}>
          {n > 1 && (
            <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.75, maxHeight: 120, overflow: 'auto' }}>
              {users?.map((u) => <Chip key={u.id} size="small" label={u.email} />)}
            </Stack>
          )}
          {view?.registrationUrl === null && (
            <Alert severity="warning" action={<Button color="inherit" size="small" onClick={onOpenSettings}>Open settings</Button>}>
              The tenant server URL is not set: invitations need it for their registration link.
            </Alert>
          )}
          {noRole.length > 0 && (
            <Alert severity="warning">
              {noRole.map((u) => u.email).join(', ')} {noRole.length === 1 ? 'has' : 'have'} no User Portal role: give them the role with Device Registration first (click the user in the table).
            </Alert>
          )}
          <Stack spacing={1}>
            <Typography variant="subtitle2">Device</Typography>
            <ToggleButtonGroup exclusive size="small" value={platform} onChange={(_, v: 'ios' | 'macos' | null) => v && setPlatform(v)} aria-label="Device platform">
              <ToggleButton value="ios">iPhone / iPad</ToggleButton>
              <ToggleButton value="macos">Mac</ToggleButton>
            </ToggleButtonGroup>
            <Typography variant="caption" color="text.secondary">
              Apple TV is not invited: stage it at the bench.
            </Typography>
          </Stack>
          <TextField select label="Invitation language" value={language} onChange={(e) => setLanguage(e.target.value as Language | 'user')} sx={{ maxWidth: 320 }}>
            <MenuItem value="user">Each user’s language</MenuItem>
            {(Object.keys(LANGUAGE_LABELS) as Language[]).map((l) => (
              <MenuItem key={l} value={l}>{LANGUAGE_LABELS[l]}</MenuItem>
            ))}
          </TextField>
          <Typography variant="body2" color="text.secondary">
            {view?.invitationNeedsPin
              ? 'Each user gets a new one-time registration PIN. It is shown once, right after sending — print the sheets or note it then. Open invitations of these users are replaced.'
              : 'The current requirements ask for no registration PIN: invitations carry the registration link only.'}
          </Typography>
          {error && <Alert severity="error" data-testid="invite-error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>Cancel</Button>
        <Button variant="contained" onClick={() => void invite()} disabled={busy || n === 0}>
          {busy ? 'Sending…' : n === 1 ? 'Send invitation' : `Send ${n} invitations`}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
