/**
 * Users & Invitations page. With the registration service wired, its first piece: import users
 * from a CSV file (all or nothing, or only the valid rows), with the per-row problems shown. The
 * users list and invitations come next; until the service is wired an empty state explains the page.
 */
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import BadgeIcon from '@mui/icons-material/Badge';
import type { AppStatus, UsersImportOut } from '../../../../main/ipc/contract';
import { api, messageOf } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { FilePicker } from '../../components/FilePicker';
import { SectionCard } from '../../components/SectionCard';
import { useToast } from '../../components/Toasts';
import type { PageId } from '../../shell/nav';

/** Props: status (features) and navigation. */
export interface UsersPageProps {
  status: AppStatus | null;
  onNavigate: (page: PageId) => void;
}

function ImportCard() {
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [partial, setPartial] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<UsersImportOut | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api().invoke('users:import-csv', { text: await file.text(), acceptValidRows: partial });
      setResult(r);
      if (r.written) toast({ severity: 'success', message: `${r.created} users added, ${r.updated} updated, ${r.unchanged} unchanged` });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <SectionCard title="Import users from CSV" subtitle="One user per line with a header row (email, first name, last name, …). You can also drop a .csv file onto the window." testId="users-import">
      <Stack spacing={2}>
        <FilePicker label="Choose CSV" name="users-csv" accept=".csv,text/csv" fileNames={file ? [file.name] : []} onFiles={(f) => { setFile(f[0]); setResult(null); }} />
        <FormControlLabel control={<Switch checked={partial} onChange={(e) => setPartial(e.target.checked)} />} label="Import the valid rows even when others have problems" />
        <Stack direction="row">
          <Button variant="contained" disabled={!file || busy} onClick={() => void run()}>
            {busy ? 'Importing…' : 'Import users'}
          </Button>
        </Stack>
        {error && <Alert severity="error">{error}</Alert>}
        {result && (
          <Alert severity={result.written ? (result.rejected ? 'warning' : 'success') : 'error'} data-testid="users-import-result">
            {result.written
              ? `${result.rows} rows read: ${result.created} added, ${result.updated} updated, ${result.unchanged} unchanged${result.rejected ? `, ${result.rejected} skipped` : ''}.`
              : `Nothing imported: ${result.rejected} of ${result.rows} rows need fixing. Fix them, or turn on “Import the valid rows”.`}
          </Alert>
        )}
        {result && result.errors.length > 0 && (
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Line</TableCell>
                <TableCell>Field</TableCell>
                <TableCell>Problem</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {result.errors.map((e, i) => (
                <TableRow key={i}>
                  <TableCell>{e.line}</TableCell>
                  <TableCell>{e.field}</TableCell>
                  <TableCell>{e.message}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Stack>
    </SectionCard>
  );
}

/** The Users & Invitations page. */
export function UsersPage({ status, onNavigate }: UsersPageProps) {
  if (status?.features.users) {
    return (
      <Grid container spacing={3} data-testid="users-page">
        <Grid size={{ xs: 12, lg: 7 }}>
          <ImportCard />
        </Grid>
        <Grid size={{ xs: 12, lg: 5 }}>
          <SectionCard title="Invitations" subtitle="Registration links with one-time PINs, printable as sheets for the bench.">
            <Typography variant="body2" color="text.secondary">
              Imported users can be invited from the command line today (<code>stagebench invite EMAIL…</code>); inviting from this page
              is the next piece of the app.
            </Typography>
          </SectionCard>
        </Grid>
      </Grid>
    );
  }
  return (
    <EmptyState
      testId="users-empty"
      icon={<BadgeIcon />}
      title="Users & invitations are not available yet"
      steps={[
        'Users: add them one by one, or drop a .csv file exported from your directory onto this window.',
        'Invitations: send each user a registration link with a one-time PIN, printable as PDF sheets for the bench.',
        'Track who registered which device, and resend or revoke open invitations.',
      ]}
      primary={{ label: 'Set up tenant sync', onClick: () => onNavigate('sync') }}
      secondary={{ label: 'Stage devices meanwhile', onClick: () => onNavigate('bench') }}
    >
      This page will hold the registration users of your Ivanti tenant and their enrollment invitations. It opens as soon as the
      registration service is installed on this workstation.
    </EmptyState>
  );
}
