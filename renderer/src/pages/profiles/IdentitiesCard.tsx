/** Signing identities: import a PKCS#12 file (with its password) and list the imported ones. */
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import KeyIcon from '@mui/icons-material/Key';
import type { IdentityRow } from '../../../../main/app/types';
import { messageOf } from '../../api';
import { FilePicker } from '../../components/FilePicker';
import { PasswordField } from '../../components/PasswordField';
import { SectionCard } from '../../components/SectionCard';
import { formatDate } from '../../files';
import { importIdentityFile, type ListState } from '../../hooks/useProfiles';
import { MONO_STACK } from '../../theme';

/** Props: the identities list state (reloaded after an import). */
export interface IdentitiesCardProps {
  identities: ListState<IdentityRow>;
}

/** The identities card. The password field is cleared after every attempt. */
export function IdentitiesCard({ identities }: IdentitiesCardProps) {
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async () => {
    if (!file) {
      setError('Choose a .p12 or .pfx file');
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const row = await importIdentityFile(file, password, label);
      setDone(`Imported “${row.label}” (${row.subject})`);
      setFile(null);
      setLabel('');
      await identities.reload();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <SectionCard title="Signing identities" subtitle="Certificates with private keys used to sign profiles." testId="identities">
      <Stack spacing={2} component="form" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <FilePicker
          label="Choose PKCS#12"
          name="p12"
          accept=".p12,.pfx,application/x-pkcs12"
          fileNames={file ? [file.name] : []}
          onFiles={(files) => {
            setFile(files[0]);
            setError(null);
          }}
        />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField label="Label" name="identity-label" value={label} onChange={(e) => setLabel(e.target.value)} placeholder={file?.name ?? 'Profile signing'} disabled={busy} />
          <PasswordField label="PKCS#12 password" name="p12-password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} />
        </Stack>
        {error && <Alert severity="error">{error}</Alert>}
        {done && <Alert severity="success">{done}</Alert>}
        <Stack direction="row">
          <Button type="submit" variant="contained" disabled={busy || !file}>
            {busy ? 'Importing…' : 'Import identity'}
          </Button>
        </Stack>
      </Stack>
      <Divider sx={{ my: 2 }} />
      {identities.error && <Alert severity="error">{identities.error}</Alert>}
      {identities.rows.length === 0 && !identities.loading ? (
        <Typography variant="body2" color="text.secondary">
          No identity imported yet.
        </Typography>
      ) : (
        <List dense disablePadding data-testid="identity-list">
          {identities.rows.map((i) => (
            <ListItem key={i.id} disableGutters data-testid="identity-row">
              <ListItemIcon sx={{ minWidth: 36 }}>
                <KeyIcon color="primary" />
              </ListItemIcon>
              <ListItemText
                primary={i.label}
                secondary={
                  <>
                    {i.subject} · {i.keyType.toUpperCase()} · valid until {formatDate(i.notAfter)}
                    <br />
                    <Typography component="span" variant="caption" sx={{ fontFamily: MONO_STACK }} title={i.fingerprintSha256}>
                      SHA-256 {i.fingerprintSha256.slice(0, 23)}…
                    </Typography>
                  </>
                }
              />
            </ListItem>
          ))}
        </List>
      )}
    </SectionCard>
  );
}
