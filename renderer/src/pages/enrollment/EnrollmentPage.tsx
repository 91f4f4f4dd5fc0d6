/**
 * Enrollment (ABM) page. With the ADE service wired: the ABM servers (token state, devices), adding
 * a server (its public key is downloaded to upload in Apple Business Manager) and uploading the
 * server token (.p7m) ABM returns. Until then an empty state explains the page.
 */
import { useCallback, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import PhonelinkSetupIcon from '@mui/icons-material/PhonelinkSetup';
import type { AppStatus, DepServerOut } from '../../../../main/ipc/contract';
import { api, messageOf } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { FilePicker } from '../../components/FilePicker';
import { SectionCard } from '../../components/SectionCard';
import { useToast } from '../../components/Toasts';
import { fileToBase64, formatDate } from '../../files';
import type { PageId } from '../../shell/nav';

/** Props: status (features) and navigation. */
export interface EnrollmentPageProps {
  status: AppStatus | null;
  onNavigate: (page: PageId) => void;
}

function downloadText(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Servers({ onNavigate }: { onNavigate: (page: PageId) => void }) {
  const toast = useToast();
  const [servers, setServers] = useState<DepServerOut[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const load = useCallback(() => {
    api()
      .invoke('dep:servers')
      .then((s) => {
        setServers(s);
        setError(null);
      })
      .catch((err: unknown) => setError(messageOf(err)));
  }, []);
  useEffect(load, [load]);
  const add = async () => {
    try {
      const r = await api().invoke('dep:add-server', { name: name.trim() });
      downloadText(r.publicKeyPem, r.filename, 'application/x-pem-file');
      toast({ severity: 'success', message: `Server “${r.server.name}” added: upload ${r.filename} in Apple Business Manager, then upload the token it gives you here` });
      setName('');
      load();
    } catch (err) {
      toast({ severity: 'error', message: messageOf(err) });
    }
  };
  const upload = async (server: DepServerOut, file: File) => {
    try {
      const r = await api().invoke('dep:upload-token', { server: server.id, bytesBase64: await fileToBase64(file) });
      toast({ severity: 'success', message: `Token uploaded to ${r.server}; it expires ${formatDate(r.tokenExpires)}` });
      load();
    } catch (err) {
      toast({ severity: 'error', message: `${file.name}: ${messageOf(err)}` });
    }
  };
  return (
    <Grid container spacing={3} data-testid="enrollment-page">
      <Grid size={{ xs: 12, lg: 8 }}>
        <SectionCard title="ABM servers" subtitle="MDM servers of Apple Business Manager whose devices enroll through this tenant.">
          {error && <Alert severity="error">{error}</Alert>}
          {servers && servers.length === 0 && (
            <EmptyState bare icon={<PhonelinkSetupIcon />} title="No ABM server yet" testId="enrollment-empty"
              steps={['Add a server here: its public key downloads.', 'In Apple Business Manager, create an MDM server with that key and download its token (.p7m).', 'Upload the token here, or drop the .p7m onto the window.']}
              secondary={{ label: 'Stage devices over USB meanwhile', onClick: () => onNavigate('bench') }}>
              Automated Device Enrollment lets devices enroll out of the box, without the bench.
            </EmptyState>
          )}
          {servers && servers.length > 0 && (
            <Table size="small" data-testid="dep-servers">
              <TableHead>
                <TableRow>
                  <TableCell>Server</TableCell>
                  <TableCell>Token</TableCell>
                  <TableCell align="right">Devices</TableCell>
                  <TableCell>Last sync</TableCell>
                  <TableCell align="right">Token file</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {servers.map((s) => (
                  <TableRow key={s.id} data-testid="dep-server-row">
                    <TableCell>
                      <Typography variant="body2" sx={{ fontWeight: 600 }}>{s.name}</Typography>
                      <Typography variant="caption" color="text.secondary">{s.orgName ?? 'Not tested yet'}</Typography>
                    </TableCell>
                    <TableCell>
                      {s.hasToken ? <Chip size="small" color="success" variant="outlined" label={`Expires ${formatDate(s.tokenExpires)}`} /> : <Chip size="small" color="warning" variant="outlined" label="No token" />}
                    </TableCell>
                    <TableCell align="right">{s.deviceCount}</TableCell>
                    <TableCell>{s.lastSyncAt ? formatDate(s.lastSyncAt) : '—'}</TableCell>
                    <TableCell align="right">
                      <FilePicker label="Upload token" name={`token-${s.id}`} accept=".p7m" fileNames={[]} placeholder="" onFiles={(f) => void upload(s, f[0])} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </SectionCard>
      </Grid>
      <Grid size={{ xs: 12, lg: 4 }}>
        <SectionCard title="Add an ABM server" subtitle="Creates the key pair; the public key downloads for Apple Business Manager.">
          <Stack direction="row" spacing={1.5} component="form" onSubmit={(e) => { e.preventDefault(); void add(); }}>
            <TextField label="Server name" name="dep-server-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Main campus" />
            <Button type="submit" variant="contained" disabled={!name.trim()}>
              Add
            </Button>
          </Stack>
        </SectionCard>
      </Grid>
    </Grid>
  );
}

/** The Enrollment (ABM) page. */
export function EnrollmentPage({ status, onNavigate }: EnrollmentPageProps) {
  if (status?.features.ade) return <Servers onNavigate={onNavigate} />;
  return (
    <EmptyState
      testId="enrollment-empty"
      icon={<PhonelinkSetupIcon />}
      title="Automated Device Enrollment is not available yet"
      steps={[
        'In Apple Business Manager, add an MDM server and download its server token (.p7m).',
        'Drop the .p7m file onto this window to upload it (available with the ADE service).',
        'Assign enrollment profiles to devices by serial number, then stage them at the bench.',
      ]}
      primary={{ label: 'Stage devices at the bench', onClick: () => onNavigate('bench') }}
      secondary={{ label: 'Build an enrollment profile', onClick: () => onNavigate('profiles') }}
    >
      This page will hold your Apple Business Manager servers, their tokens, the devices assigned to them and the ADE enrollment
      profiles. Until then, stage devices over USB with a signed enrollment profile.
    </EmptyState>
  );
}
