/**
 * Dialog: a new blueprint from the common actions — join a Wi-Fi network (password sealed on save,
 * never shown again), install a signed enrollment profile, install other stored profiles, and name
 * the device from a pattern. The service validates everything before saving; its messages show here.
 */
import { useState, type FormEvent } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import type { BlueprintSummaryOut } from '../../../../main/ipc/contract-blueprints';
import { api, messageOf } from '../../api';
import { PasswordField } from '../../components/PasswordField';
import { useProfiles } from '../../hooks/useProfiles';

/** Props: open flag, close, and the created blueprint. */
export interface NewBlueprintDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (b: BlueprintSummaryOut) => void;
}

/** The dialog. */
export function NewBlueprintDialog({ open, onClose, onCreated }: NewBlueprintDialogProps) {
  const profiles = useProfiles();
  const enrollment = profiles.rows.filter((p) => p.signed && p.payloadTypes.includes('com.apple.mdm'));
  const others = profiles.rows.filter((p) => !p.payloadTypes.includes('com.apple.mdm'));
  const [name, setName] = useState('');
  const [profileId, setProfileId] = useState('');
  const [extra, setExtra] = useState<string[]>([]);
  const [useWifi, setUseWifi] = useState(false);
  const [ssid, setSsid] = useState('');
  const [password, setPassword] = useState('');
  const [pattern, setPattern] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nothing = !profileId && extra.length === 0 && !(useWifi && ssid.trim()) && !pattern.trim();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const b = await api().invoke('blueprints:create', {
        name: name.trim(),
        ...(profileId ? { enrollmentProfileId: profileId } : {}),
        ...(extra.length ? { profileIds: extra } : {}),
        ...(useWifi && ssid.trim() ? { wifi: { ssid: ssid.trim(), ...(password ? { password, encryption: 'WPA2' as const } : { encryption: 'None' as const }) } } : {}),
        ...(pattern.trim() ? { deviceNamePattern: pattern.trim() } : {}),
      });
      setPassword('');
      setName('');
      onCreated(b);
    } catch (err) {
      setPassword('');
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="new-blueprint-form">
        <DialogTitle>New blueprint</DialogTitle>
        <DialogContent>
          <Grid container spacing={2} sx={{ pt: 0.5 }}>
            <Grid size={12}>
              <TextField label="Blueprint name" value={name} onChange={(e) => setName(e.target.value)} required fullWidth autoFocus placeholder="Classroom iPads" />
            </Grid>
            <Grid size={12}>
              <TextField
                select
                label="Enrollment profile"
                value={profileId}
                onChange={(e) => setProfileId(e.target.value)}
                fullWidth
                helperText={enrollment.length ? 'A signed MDM enrollment profile from the Profiles page' : 'No signed enrollment profile yet — build and sign one on the Profiles page'}
              >
                <MenuItem value="">None</MenuItem>
                {enrollment.map((p) => (
                  <MenuItem key={p.id} value={p.id}>
                    {p.name}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            {others.length > 0 && (
              <Grid size={12}>
                <TextField
                  select
                  label="Other profiles"
                  value={extra}
                  onChange={(e) => setExtra(typeof e.target.value === 'string' ? e.target.value.split(',') : (e.target.value as string[]))}
                  slotProps={{ select: { multiple: true } }}
                  fullWidth
                >
                  {others.map((p) => (
                    <MenuItem key={p.id} value={p.id}>
                      {p.name}
                    </MenuItem>
                  ))}
                </TextField>
              </Grid>
            )}
            <Grid size={12}>
              <FormControlLabel control={<Switch checked={useWifi} onChange={(e) => setUseWifi(e.target.checked)} />} label="Join a Wi-Fi network first" />
            </Grid>
            {useWifi && (
              <>
                <Grid size={{ xs: 12, sm: 6 }}>
                  <TextField label="Network name (SSID)" value={ssid} onChange={(e) => setSsid(e.target.value)} fullWidth required />
                </Grid>
                <Grid size={{ xs: 12, sm: 6 }}>
                  <PasswordField label="Wi-Fi password (WPA2)" value={password} onChange={(e) => setPassword(e.target.value)} fullWidth helperText="Sealed on save; leave empty for an open network" />
                </Grid>
              </>
            )}
            <Grid size={12}>
              <TextField
                label="Device name"
                value={pattern}
                onChange={(e) => setPattern(e.target.value)}
                fullWidth
                placeholder="Lab-{counter}"
                helperText="Optional. Placeholders: {serial} {model} {productType} {udid} {ecid} {counter}"
              />
            </Grid>
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
          <Button type="submit" variant="contained" disabled={busy || !name.trim() || nothing}>
            {busy ? 'Saving…' : 'Save blueprint'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
