/**
 * The tenant connection form: tenant URL, API user, password (sealed on save and never shown
 * again — changing the connection needs it entered again) and the device space. Field errors come
 * from the service's validation messages.
 */
import { useState, type FormEvent } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import LockIcon from '@mui/icons-material/Lock';
import type { SyncStatusOut } from '../../../../main/ipc/contract-sync';
import { api, messageOf } from '../../api';
import { PasswordField } from '../../components/PasswordField';

/** Props: the stored settings (to prefill), and what happens after saving or cancelling. */
export interface TenantFormProps {
  settings: SyncStatusOut['settings'];
  onSaved: () => void;
  onCancel?: () => void;
}

/** Which field a service message is about. */
function fieldOf(message: string): 'url' | 'user' | 'password' | null {
  if (/url|https|host/i.test(message)) return 'url';
  if (/user/i.test(message)) return 'user';
  if (/password/i.test(message)) return 'password';
  return null;
}

/** The form. */
export function TenantForm({ settings, onSaved, onCancel }: TenantFormProps) {
  const [url, setUrl] = useState(settings?.url ?? '');
  const [user, setUser] = useState(settings?.user ?? '');
  const [password, setPassword] = useState('');
  const [space, setSpace] = useState(settings?.partitionName ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = error ? fieldOf(error) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await api().invoke('sync:configure', { url: url.trim(), user: user.trim(), password, partitionName: space.trim() || undefined });
      setPassword('');
      onSaved();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack component="form" spacing={2.5} onSubmit={(e) => void submit(e)} data-testid="tenant-form" noValidate>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            label="Tenant URL"
            placeholder="https://na1.mobileiron.com"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            fullWidth
            error={field === 'url'}
            helperText={field === 'url' ? error : 'The address admins sign in to (Ivanti Neurons for MDM or EPMM)'}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            label="Device space"
            placeholder="Global"
            value={space}
            onChange={(e) => setSpace(e.target.value)}
            fullWidth
            helperText="Leave empty for the default device space"
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            label="API user"
            value={user}
            onChange={(e) => setUser(e.target.value)}
            required
            fullWidth
            autoComplete="off"
            error={field === 'user'}
            helperText={field === 'user' ? error : 'An admin account with the API role'}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <PasswordField
            label="Password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            fullWidth
            error={field === 'password'}
            helperText={field === 'password' ? error : settings ? 'A password is stored; enter it again to change the connection' : 'Sealed on this workstation and never shown again'}
          />
        </Grid>
      </Grid>
      {error && !field && <Alert severity="error">{error}</Alert>}
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
        <Button type="submit" variant="contained" startIcon={<LockIcon />} disabled={saving || !url.trim() || !user.trim() || !password}>
          {saving ? 'Saving…' : settings ? 'Save connection' : 'Connect tenant'}
        </Button>
        {onCancel && (
          <Button onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
        )}
      </Stack>
    </Stack>
  );
}
