/** Dialog: a new organization with a freshly generated supervision identity (RSA-2048, 20 years). */
import { useState, type FormEvent } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Grid from '@mui/material/Grid';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { OrganizationOut } from '../../../../main/ipc/contract-organizations';
import { api, messageOf } from '../../api';

/** Props: open flag, close, and the created row. */
export interface CreateOrganizationDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (row: OrganizationOut) => void;
}

const FIELDS = [
  ['department', 'Department'],
  ['email', 'E-mail'],
  ['phone', 'Phone'],
  ['address', 'Address'],
] as const;

/** The dialog. */
export function CreateOrganizationDialog({ open, onClose, onCreated }: CreateOrganizationDialogProps) {
  const [name, setName] = useState('');
  const [contact, setContact] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const extra = Object.fromEntries(Object.entries(contact).filter(([, v]) => v.trim()));
      const row = await api().invoke('organizations:create', { name: name.trim(), ...extra });
      setName('');
      setContact({});
      onCreated(row);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <DialogTitle>New organization</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            StageBench generates a supervision identity for it. Devices prepared with this organization show its name and contact details, and only
            this identity can pair with them without the Trust dialog.
          </Typography>
          <Grid container spacing={2}>
            <Grid size={12}>
              <TextField label="Organization name" value={name} onChange={(e) => setName(e.target.value)} required fullWidth autoFocus />
            </Grid>
            {FIELDS.map(([key, label]) => (
              <Grid key={key} size={{ xs: 12, sm: key === 'address' ? 12 : 6 }}>
                <TextField label={label} value={contact[key] ?? ''} onChange={(e) => setContact((c) => ({ ...c, [key]: e.target.value }))} fullWidth />
              </Grid>
            ))}
          </Grid>
          {error && (
            <Alert severity="error" sx={{ mt: 2 }}>
              {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" disabled={busy || !name.trim()}>
            {busy ? 'Creating…' : 'Create organization'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
