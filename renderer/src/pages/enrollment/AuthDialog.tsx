/** Edit Authentication of a DEP profile: prompt the user, or skip login assigning devices to one user or the anonymous user. */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import type { DepProfileFormIn, DepProfileSummaryOut } from '../../../../main/ipc/contract-dep';
import { api, messageOf } from '../../api';
import { useToast } from '../../components/Toasts';
import { AuthenticationFields } from './editor-fields';

type Auth = DepProfileFormIn['authentication'];

/** The dialog; loads the profile's current setting when opened. */
export function AuthDialog({ profile, onClose, onSaved }: { profile: DepProfileSummaryOut | null; onClose: () => void; onSaved: () => void }) {
  const toast = useToast();
  const [auth, setAuth] = useState<Auth>({ mode: 'prompt' });
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    if (profile) api().invoke('dep:profile-get', { id: profile.id }).then((p) => setAuth(p.form.authentication)).catch((err: unknown) => setError(messageOf(err)));
  }, [profile]);
  const save = async () => {
    if (!profile) return;
    try {
      const r = await api().invoke('dep:profile-auth', { id: profile.id, authentication: auth });
      const blocking = r.issues.filter((i) => i.severity === 'error');
      if (!r.profile) { setError(blocking.map((i) => i.message).join('; ')); return; }
      toast({ severity: 'success', message: `Authentication of “${profile.name}” saved` });
      onSaved();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <Dialog open={!!profile} onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="auth-title">
      <DialogTitle id="auth-title">Edit authentication — {profile?.name}</DialogTitle>
      <DialogContent>
        <AuthenticationFields value={auth} onChange={setAuth} issue={() => undefined} />
        {error && <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={() => void save()}>Save</Button>
      </DialogActions>
    </Dialog>
  );
}
