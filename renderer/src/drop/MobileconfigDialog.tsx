/**
 * A dropped .mobileconfig: inspected and verified at once (`profiles:verify`), then kept in the
 * profile cache (`profiles:import`) and/or installed on one attached device
 * (`devices:install-profile`, which installs the stored copy through MCInstall).
 */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { DeviceRow, ProfileRow } from '../../../main/app/types';
import type { VerifyResult } from '../../../main/ipc/contract';
import { api, messageOf } from '../api';
import { useToast } from '../components/Toasts';
import { fileToBase64, formatBytes } from '../files';
import { MONO_STACK } from '../theme';

/** Props: the dropped file (null = closed), attached devices, close, and a callback after import. */
export interface MobileconfigDialogProps {
  file: File | null;
  devices: DeviceRow[];
  onClose: () => void;
  onImported: (row: ProfileRow) => void;
}

function deviceLabel(d: DeviceRow): string {
  return `${d.deviceName ?? d.productType ?? 'Device'} · ${d.serialNumber ?? d.udid}`;
}

/** The dialog. */
export function MobileconfigDialog({ file, devices, onClose, onImported }: MobileconfigDialogProps) {
  const toast = useToast();
  const [base64, setBase64] = useState<string | null>(null);
  const [report, setReport] = useState<VerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stored, setStored] = useState<ProfileRow | null>(null);
  const [udid, setUdid] = useState('');
  const [busy, setBusy] = useState<'import' | 'install' | null>(null);

  useEffect(() => {
    setReport(null);
    setError(null);
    setStored(null);
    setBase64(null);
    if (!file) return;
    let live = true;
    void (async () => {
      try {
        const b64 = await fileToBase64(file);
        const r = await api().invoke('profiles:verify', { bytesBase64: b64 });
        if (!live) return;
        setBase64(b64);
        setReport(r);
      } catch (err) {
        if (live) setError(messageOf(err));
      }
    })();
    return () => {
      live = false;
    };
  }, [file]);

  useEffect(() => {
    if (!devices.some((d) => d.udid === udid)) setUdid(devices[0]?.udid ?? '');
  }, [devices, udid]);

  const name = file?.name.replace(/(\.signed)?\.mobileconfig$/i, '') ?? '';
  const store = async (): Promise<ProfileRow | null> => {
    if (stored) return stored;
    if (!base64) return null;
    const row = await api().invoke('profiles:import', { name, bytesBase64: base64 });
    setStored(row);
    onImported(row);
    return row;
  };
  const importOnly = async () => {
    setBusy('import');
    try {
      const row = await store();
      if (row) toast({ severity: 'success', message: `“${row.name}” added to Profiles` });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(null);
    }
  };
  const install = async () => {
    setBusy('install');
    setError(null);
    try {
      const row = await store();
      if (!row) return;
      const r = await api().invoke('devices:install-profile', { udid, profileId: row.id });
      const d = devices.find((x) => x.udid === udid);
      toast({ severity: 'success', message: `“${r.profileName}” installed on ${d ? deviceLabel(d) : udid}` });
      onClose();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(null);
    }
  };

  const verdict = report
    ? report.signed
      ? report.valid
        ? { severity: 'success' as const, text: 'Signed, and the signature verifies' }
        : { severity: 'error' as const, text: `Signed, but the signature does not verify: ${report.problems.join('; ')}` }
      : { severity: 'info' as const, text: 'Unsigned profile: devices show it as “Not Verified”' }
    : null;

  return (
    <Dialog open={!!file} onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="mobileconfig-title">
      <DialogTitle id="mobileconfig-title">Configuration profile</DialogTitle>
      <DialogContent dividers data-testid="mobileconfig-dialog">
        <Stack spacing={2}>
          <Typography variant="body2" color="text.secondary">
            {file?.name} · {file ? formatBytes(file.size) : ''}
          </Typography>
          {!report && !error && <CircularProgress size={24} />}
          {verdict && <Alert severity={verdict.severity} data-testid="mobileconfig-verdict">{verdict.text}</Alert>}
          {report && (
            <Stack spacing={1}>
              <Typography variant="subtitle2">{report.displayName ?? '(no display name)'}</Typography>
              <Typography variant="body2" sx={{ fontFamily: MONO_STACK }}>{report.identifier ?? '(no PayloadIdentifier)'}</Typography>
              {report.signer && <Typography variant="body2">Signer: {report.signer}</Typography>}
              <Stack direction="row" spacing={0.75} sx={{ flexWrap: 'wrap', rowGap: 0.75 }}>
                {report.payloads.map((p, i) => (
                  <Chip key={`${p}-${i}`} size="small" variant="outlined" label={p} />
                ))}
              </Stack>
            </Stack>
          )}
          {report && (
            <TextField select label="Install on" name="install-device" value={devices.length ? udid : ''} onChange={(e) => setUdid(e.target.value)} disabled={devices.length === 0}
              helperText={devices.length === 0 ? 'Connect a device over USB to install the profile directly' : 'An unpaired device asks to trust this computer first. The profile then shows under Settings › General › VPN & Device Management.'}>
              {devices.map((d) => (
                <MenuItem key={d.udid} value={d.udid}>
                  {deviceLabel(d)}
                </MenuItem>
              ))}
            </TextField>
          )}
          {stored && <Alert severity="success">Kept in Profiles as “{stored.name}”.</Alert>}
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button onClick={() => void importOnly()} disabled={!report || !!stored || !!busy || (report.signed && !report.valid)}>
          {busy === 'import' ? 'Adding…' : 'Add to Profiles'}
        </Button>
        <Button variant="contained" onClick={() => void install()} disabled={!report || !udid || !!busy || (report.signed && !report.valid)}>
          {busy === 'install' ? 'Installing…' : 'Install on device'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
