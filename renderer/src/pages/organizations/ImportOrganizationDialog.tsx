/**
 * Dialog: import an existing supervision identity — a PKCS#12 file with its password (used once,
 * never stored), or a certificate and its private key (DER or PEM, as Apple Configurator exports
 * them). The key is sealed in the cache and never leaves it again.
 */
import { useState, type FormEvent } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import type { OrganizationOut } from '../../../../main/ipc/contract-organizations';
import { api, messageOf } from '../../api';
import { FilePicker } from '../../components/FilePicker';
import { PasswordField } from '../../components/PasswordField';
import { fileToBase64 } from '../../files';

/** Props: open flag, close, and the imported row. */
export interface ImportOrganizationDialogProps {
  open: boolean;
  onClose: () => void;
  onImported: (row: OrganizationOut) => void;
}

/** The dialog. */
export function ImportOrganizationDialog({ open, onClose, onImported }: ImportOrganizationDialogProps) {
  const [kind, setKind] = useState<'p12' | 'der'>('p12');
  const [p12, setP12] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [cert, setCert] = useState<File | null>(null);
  const [key, setKey] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = kind === 'p12' ? !!p12 : !!cert && !!key;

  const reset = () => {
    setP12(null);
    setPassword('');
    setCert(null);
    setKey(null);
    setName('');
    setError(null);
  };
  const close = () => {
    reset();
    onClose();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const label = name.trim() ? { name: name.trim() } : {};
      const row =
        kind === 'p12'
          ? await api().invoke('organizations:import-p12', { p12Base64: await fileToBase64(p12!), password, ...label })
          : await api().invoke('organizations:import-der', { certificateBase64: await fileToBase64(cert!), privateKeyBase64: await fileToBase64(key!), ...label });
      reset();
      onImported(row);
    } catch (err) {
      setPassword('');
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : close} maxWidth="sm" fullWidth>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <DialogTitle>Import a supervision identity</DialogTitle>
        <DialogContent>
          <Stack spacing={2.5}>
            <ToggleButtonGroup exclusive size="small" value={kind} onChange={(_e, v: 'p12' | 'der' | null) => v && setKind(v)} aria-label="Identity format">
              <ToggleButton value="p12">PKCS#12 (.p12)</ToggleButton>
              <ToggleButton value="der">Certificate + private key</ToggleButton>
            </ToggleButtonGroup>
            {kind === 'p12' ? (
              <>
                <FilePicker label="Choose .p12" name="org-p12" accept=".p12,.pfx" fileNames={p12 ? [p12.name] : []} onFiles={(f) => setP12(f[0])} />
                <PasswordField label="Password of the .p12" value={password} onChange={(e) => setPassword(e.target.value)} fullWidth helperText="Used once to open the file; never stored" />
              </>
            ) : (
              <>
                <FilePicker label="Certificate" name="org-cert" accept=".der,.cer,.crt,.pem" fileNames={cert ? [cert.name] : []} onFiles={(f) => setCert(f[0])} />
                <FilePicker label="Private key" name="org-key" accept=".der,.key,.pem" fileNames={key ? [key.name] : []} onFiles={(f) => setKey(f[0])} />
              </>
            )}
            <TextField label="Organization name" value={name} onChange={(e) => setName(e.target.value)} fullWidth helperText="Optional: defaults to the certificate’s O or CN" />
            {error && <Alert severity="error">{error}</Alert>}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" disabled={busy || !ready}>
            {busy ? 'Importing…' : 'Import'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
