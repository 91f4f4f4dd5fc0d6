/**
 * Add or edit a registration user. For users from the LDAP directory the identity fields (email,
 * names, DN) are read-only — the directory owns them — and only the User Portal role and the
 * invitation language can change here. The service's messages show under the field they name.
 */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import LockIcon from '@mui/icons-material/Lock';
import type { RegistrationUserOut } from '../../../../main/ipc/contract-registration';
import type { Language, PortalRole } from '../../../../main/registration/types';
import { api } from '../../api';
import { useToast } from '../../components/Toasts';
import { fieldError, type FieldError } from './field-errors';
import { LANGUAGE_LABELS, ROLE_LABELS } from './labels';

/** Props: open flag, the user to edit (null = add), close and saved callbacks. */
export interface UserDialogProps {
  open: boolean;
  user: RegistrationUserOut | null;
  onClose: () => void;
  onSaved: (user: RegistrationUserOut) => void;
  onDelete?: (user: RegistrationUserOut) => void;
}

interface Form {
  email: string;
  firstName: string;
  lastName: string;
  role: PortalRole;
  language: Language;
}

const EMPTY: Form = { email: '', firstName: '', lastName: '', role: 'device-registration', language: 'en' };

/** The add/edit dialog. */
export function UserDialog({ open, user, onClose, onSaved, onDelete }: UserDialogProps) {
  const toast = useToast();
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setError(null);
    setForm(user ? { email: user.email, firstName: user.firstName, lastName: user.lastName, role: user.role, language: user.language } : EMPTY);
  }, [open, user]);
  const ldap = user?.source === 'ldap';
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const fieldMsg = (f: string) => (error?.field === f ? error.message : undefined);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = user
        ? await api().invoke('users:update', {
            user: user.id,
            patch: ldap ? { role: form.role, language: form.language } : { ...form },
          })
        : await api().invoke('users:add', { ...form });
      toast({ severity: 'success', message: user ? `${saved.email} saved` : `${saved.email} added` });
      onSaved(saved);
    } catch (err) {
      setError(fieldError(err));
    } finally {
      setBusy(false);
    }
  };
  const lockProps = ldap ? { slotProps: { input: { readOnly: true, endAdornment: <LockIcon fontSize="small" color="disabled" /> } } } : {};
  const known = ['email', 'firstName', 'lastName', 'role', 'language'];
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="user-dialog-title">
      <DialogTitle id="user-dialog-title">{user ? `Edit ${user.email}` : 'Add a user'}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }} component="form" id="user-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          {ldap && (
            <Alert severity="info" icon={<LockIcon />}>
              This user comes from the LDAP directory{user?.ldapDn ? ` (${user.ldapDn})` : ''}. Email and names are read-only here: change them in the directory and import again.
            </Alert>
          )}
          <TextField label="Email (registration user name)" required autoFocus={!user} value={form.email} onChange={(e) => set('email', e.target.value)} error={!!fieldMsg('email')} helperText={fieldMsg('email') ?? 'The user signs in to register with this address.'} {...lockProps} />
          <Stack direction="row" spacing={2}>
            <TextField label="First name" fullWidth value={form.firstName} onChange={(e) => set('firstName', e.target.value)} error={!!fieldMsg('firstName')} helperText={fieldMsg('firstName')} {...lockProps} />
            <TextField label="Last name" fullWidth value={form.lastName} onChange={(e) => set('lastName', e.target.value)} error={!!fieldMsg('lastName')} helperText={fieldMsg('lastName')} {...lockProps} />
          </Stack>
          <TextField select label="User Portal role" value={form.role} onChange={(e) => set('role', e.target.value as PortalRole)} error={!!fieldMsg('role')} helperText={fieldMsg('role') ?? 'Device Registration lets the user register devices in the self-service User Portal; invitations need a portal role.'}>
            {(Object.keys(ROLE_LABELS) as PortalRole[]).map((r) => (
              <MenuItem key={r} value={r}>{ROLE_LABELS[r]}</MenuItem>
            ))}
          </TextField>
          <TextField select label="Invitation language" value={form.language} onChange={(e) => set('language', e.target.value as Language)} error={!!fieldMsg('language')} helperText={fieldMsg('language')}>
            {(Object.keys(LANGUAGE_LABELS) as Language[]).map((l) => (
              <MenuItem key={l} value={l}>{LANGUAGE_LABELS[l]}</MenuItem>
            ))}
          </TextField>
          {error && (!error.field || !known.includes(error.field)) && <Alert severity="error">{error.message}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        {user && onDelete && (
          <Button color="error" onClick={() => onDelete(user)} sx={{ mr: 'auto' }}>
            Delete user
          </Button>
        )}
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" form="user-form" variant="contained" disabled={busy || !form.email.trim()}>
          {user ? 'Save' : 'Add user'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
