/** Choose an identity and sign a profile (`profiles:sign`). */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { IdentityRow, ProfileRow } from '../../../../main/app/types';
import { api, messageOf } from '../../api';
import { formatDate } from '../../files';

/** Props: the profile to sign (null = closed), identities, close and signed callbacks. */
export interface SignDialogProps {
  profile: ProfileRow | null;
  identities: IdentityRow[];
  onClose: () => void;
  onSigned: (profile: ProfileRow) => void;
}

/** The sign dialog. */
export function SignDialog({ profile, identities, onClose, onSigned }: SignDialogProps) {
  const [identityId, setIdentityId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    if (profile && identities.length > 0) setIdentityId((cur) => (identities.some((i) => i.id === cur) ? cur : identities[0].id));
  }, [profile, identities]);

  const sign = async () => {
    if (!profile || !identityId) return;
    setBusy(true);
    setError(null);
    try {
      const signed = await api().invoke('profiles:sign', { profileId: profile.id, identityId });
      onSigned(signed);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={!!profile} onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth aria-labelledby="sign-title">
      <DialogTitle id="sign-title">Sign “{profile?.name}”</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          The profile is signed as CMS SignedData; devices show the signer as verified when they trust its CA.
        </DialogContentText>
        {identities.length === 0 ? (
          <Alert severity="info">Import a signing identity (PKCS#12) first.</Alert>
        ) : (
          <TextField select label="Identity" name="sign-identity" value={identityId} onChange={(e) => setIdentityId(e.target.value)} disabled={busy}>
            {identities.map((i) => (
              <MenuItem key={i.id} value={i.id}>
                {i.label} — {i.subject} (until {formatDate(i.notAfter)})
              </MenuItem>
            ))}
          </TextField>
        )}
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
        <Button variant="contained" onClick={() => void sign()} disabled={busy || !identityId}>
          {busy ? 'Signing…' : 'Sign'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
