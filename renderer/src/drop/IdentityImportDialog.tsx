/**
 * Import a signing identity (PKCS#12) in a dialog: opened by dropping a .p12/.pfx file and by the
 * setup wizard. The password is cleared after every attempt and never shown in errors.
 */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { IdentityRow } from '../../../main/app/types';
import { messageOf } from '../api';
import { FilePicker } from '../components/FilePicker';
import { PasswordField } from '../components/PasswordField';
import { importIdentityFile } from '../hooks/useProfiles';

/** The import form (also embedded in the setup wizard). */
export function IdentityImportForm({ initialFile, onImported, submitLabel = 'Import identity' }: { initialFile?: File | null; onImported: (row: IdentityRow) => void; submitLabel?: string }) {
  const [file, setFile] = useState<File | null>(initialFile ?? null);
  const [label, setLabel] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setFile(initialFile ?? null), [initialFile]);
  const submit = async () => {
    if (!file) return setError('Choose a .p12 or .pfx file');
    setBusy(true);
    setError(null);
    try {
      const row = await importIdentityFile(file, password, label);
      onImported(row);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };
  return (
    <Stack spacing={2} component="form" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="identity-import-form">
      <FilePicker label="Choose PKCS#12" name="dialog-p12" accept=".p12,.pfx,application/x-pkcs12" fileNames={file ? [file.name] : []} onFiles={(f) => setFile(f[0])} />
      <TextField label="Label" name="dialog-identity-label" value={label} onChange={(e) => setLabel(e.target.value)} placeholder={file?.name.replace(/\.(p12|pfx)$/i, '') ?? 'Profile signing'} disabled={busy} />
      <PasswordField label="PKCS#12 password" name="dialog-p12-password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} autoFocus={!!initialFile} />
      {error && <Alert severity="error">{error}</Alert>}
      <Stack direction="row">
        <Button type="submit" variant="contained" disabled={busy || !file}>
          {busy ? 'Importing…' : submitLabel}
        </Button>
      </Stack>
    </Stack>
  );
}

/** Props: the dropped file (null = closed), close and success callbacks. */
export interface IdentityImportDialogProps {
  file: File | null;
  onClose: () => void;
  onImported: (row: IdentityRow) => void;
}

/** The dialog around IdentityImportForm. */
export function IdentityImportDialog({ file, onClose, onImported }: IdentityImportDialogProps) {
  return (
    <Dialog open={!!file} onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="identity-import-title">
      <DialogTitle id="identity-import-title">Import signing identity</DialogTitle>
      <DialogContent dividers>
        <IdentityImportForm initialFile={file} onImported={onImported} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
      </DialogActions>
    </Dialog>
  );
}
