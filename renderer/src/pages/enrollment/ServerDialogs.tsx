/**
 * Dialogs of the ABM server list: Add server (the public key downloads for Apple Business
 * Manager), Upload New Token (with the "different consumer key — confirm" step) and Delete.
 */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { DepServerOut } from '../../../../main/ipc/contract-dep';
import { api, messageOf } from '../../api';
import { FilePicker } from '../../components/FilePicker';
import { useToast } from '../../components/Toasts';
import { downloadText, fileToBase64, formatDate } from '../../files';
import { hasCode } from './dep-ui';

/** Add server: name and (advanced) the Device Assignment service URL. Calls `onAdded` with the new server. */
export function AddServerDialog({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: (s: DepServerOut) => void }) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [advanced, setAdvanced] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) { setName(''); setBaseUrl(''); setError(null); setAdvanced(false); }
  }, [open]);
  const submit = async () => {
    setBusy(true);
    try {
      const r = await api().invoke('dep:add-server', { name: name.trim(), baseUrl: baseUrl.trim() || undefined });
      downloadText(r.publicKeyPem, r.filename, 'application/x-pem-file');
      toast({ severity: 'success', message: `“${r.server.name}” added and ${r.filename} downloaded: upload it in Apple Business Manager, then upload the server token here` });
      onAdded(r.server);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="add-server-title">
      <DialogTitle id="add-server-title">Add ABM server</DialogTitle>
      <DialogContent>
        <Stack spacing={2} component="form" id="add-server-form" onSubmit={(e) => { e.preventDefault(); void submit(); }} sx={{ pt: 1 }}>
          <DialogContentText variant="body2">
            StageBench creates a key pair for this server and downloads its public key. In Apple Business Manager, add an MDM server with that
            key, download its server token (.p7m) and upload it here.
          </DialogContentText>
          <TextField autoFocus label="Server name" name="dep-server-name" value={name} onChange={(e) => { setName(e.target.value); setError(null); }}
            placeholder="e.g. Main campus" helperText="Use the MDM server name you give it in Apple Business Manager" error={!!error} />
          <Link component="button" type="button" variant="body2" onClick={() => setAdvanced((a) => !a)} sx={{ alignSelf: 'flex-start' }}>
            {advanced ? 'Hide advanced settings' : 'Advanced settings'}
          </Link>
          <Collapse in={advanced}>
            <TextField label="Device Assignment service URL" name="dep-server-url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)}
              placeholder="https://mdmenrollment.apple.com" helperText="Leave empty for Apple’s service; plain http only for a loopback simulator" />
          </Collapse>
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" form="add-server-form" variant="contained" disabled={!name.trim() || busy}>Add and download key</Button>
      </DialogActions>
    </Dialog>
  );
}

/** Upload New Token: pick the .p7m; a token for another consumer key asks for confirmation first. */
export function TokenDialog({ server, onClose, onUploaded }: { server: DepServerOut | null; onClose: () => void; onUploaded: () => void }) {
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { setFile(null); setError(null); setConfirm(null); }, [server]);
  const upload = async (confirmNewConsumerKey: boolean) => {
    if (!server || !file) return;
    setBusy(true);
    try {
      const r = await api().invoke('dep:upload-token', { server: server.id, bytesBase64: await fileToBase64(file), confirmNewConsumerKey });
      toast({ severity: r.warning ? 'warning' : 'success', message: `Token uploaded to “${r.server}”; it expires ${formatDate(r.tokenExpires)}${r.consumerKeyChanged ? ' (new consumer key: run a Full Sync)' : ''}${r.warning ? ` — ${r.warning}` : ''}` });
      onUploaded();
    } catch (err) {
      if (hasCode(err, 'E_CONSUMER_KEY_CHANGED')) setConfirm(messageOf(err));
      else setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={!!server} onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="token-title">
      <DialogTitle id="token-title">{confirm ? 'Use a token with a different consumer key?' : `Upload new token — ${server?.name ?? ''}`}</DialogTitle>
      <DialogContent>
        {confirm ? (
          <Stack spacing={2} data-testid="consumer-key-confirm">
            <Alert severity="warning">{confirm}</Alert>
            <DialogContentText variant="body2">Continue only if this server really moved to another MDM server in Apple Business Manager.</DialogContentText>
          </Stack>
        ) : (
          <Stack spacing={2} sx={{ pt: 1 }}>
            <DialogContentText variant="body2">
              In Apple Business Manager, open the MDM server, click <b>Download Token</b> and choose the <code>*_smime.p7m</code> file here.
            </DialogContentText>
            <FilePicker label="Choose token file" name="dep-token-file" accept=".p7m" fileNames={file ? [file.name] : []} onFiles={(f) => { setFile(f[0] ?? null); setError(null); }} error={error} />
            {error && <Alert severity="error">{error}</Alert>}
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        {confirm ? (
          <Button color="warning" variant="contained" disabled={busy} onClick={() => void upload(true)}>Use the new consumer key</Button>
        ) : (
          <Button variant="contained" disabled={!file || busy} onClick={() => void upload(false)}>Upload token</Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

/** Delete confirmation. */
export function DeleteServerDialog({ server, onClose, onDeleted }: { server: DepServerOut | null; onClose: () => void; onDeleted: () => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    if (!server) return;
    setBusy(true);
    try {
      await api().invoke('dep:delete-server', { server: server.id });
      toast({ severity: 'success', message: `“${server.name}” deleted from this workstation` });
      onDeleted();
    } catch (err) {
      toast({ severity: 'error', message: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={!!server} onClose={onClose} aria-labelledby="delete-server-title">
      <DialogTitle id="delete-server-title">Delete “{server?.name}”?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Its key pair, token, {server?.deviceCount ?? 0} synced devices and {server?.profileCount ?? 0} enrollment profiles are removed from this workstation.
          Nothing changes in Apple Business Manager; to use the server again, add it anew and upload a new token.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button color="error" variant="contained" disabled={busy} onClick={() => void remove()}>Delete server</Button>
      </DialogActions>
    </Dialog>
  );
}
