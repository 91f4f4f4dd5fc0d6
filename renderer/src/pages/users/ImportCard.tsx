/**
 * CSV import of registration users: all or nothing, or only the valid rows; the row-level report
 * (line, field, problem) says what to fix, and offers to import the N valid rows.
 */
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { UsersImportOut } from '../../../../main/ipc/contract';
import { api, messageOf } from '../../api';
import { FilePicker } from '../../components/FilePicker';
import { SectionCard } from '../../components/SectionCard';
import { useToast } from '../../components/Toasts';

/** Props: called after users were written (the table reloads). */
export interface ImportCardProps {
  onImported: () => void;
}

/** The import card. */
export function ImportCard({ onImported }: ImportCardProps) {
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [partial, setPartial] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<UsersImportOut | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (acceptValidRows: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api().invoke('users:import-csv', { text: await file.text(), acceptValidRows });
      setResult(r);
      if (r.written) {
        toast({ severity: 'success', message: `${r.created} users added, ${r.updated} updated, ${r.unchanged} unchanged` });
        onImported();
      }
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const valid = result ? result.rows - result.rejected : 0;
  return (
    <SectionCard title="Import users from CSV" subtitle="A header row, then one user per line: email, first name, last name, and optionally source, dn, role, language. You can also drop a .csv file onto the window." testId="users-import">
      <Stack spacing={2}>
        <FilePicker label="Choose CSV" name="users-csv" accept=".csv,text/csv" fileNames={file ? [file.name] : []} onFiles={(f) => { setFile(f[0]); setResult(null); }} />
        <FormControlLabel control={<Switch checked={partial} onChange={(e) => setPartial(e.target.checked)} />} label="Import the valid rows even when others have problems" />
        <Stack direction="row">
          <Button variant="contained" disabled={!file || busy} onClick={() => void run(partial)}>
            {busy ? 'Importing…' : 'Import users'}
          </Button>
        </Stack>
        {error && <Alert severity="error">{error}</Alert>}
        {result && (
          <Alert
            severity={result.written ? (result.rejected ? 'warning' : 'success') : 'error'}
            data-testid="users-import-result"
            action={!result.written && valid > 0 ? <Button color="inherit" size="small" disabled={busy} onClick={() => void run(true)}>{valid === 1 ? 'Import the 1 valid row' : `Import the ${valid} valid rows`}</Button> : undefined}
          >
            {result.written
              ? `${result.rows} rows read: ${result.created} added, ${result.updated} updated, ${result.unchanged} unchanged${result.rejected ? `, ${result.rejected} skipped` : ''}.`
              : `Nothing imported: ${result.rejected} of ${result.rows} rows need fixing. Fix them in the file, or import only the valid rows.`}
          </Alert>
        )}
        {result && result.notes.length > 0 && <Alert severity="info">{result.notes.join(' ')}</Alert>}
        {result && result.errors.length > 0 && (
          <Table size="small" aria-label="Rows to fix" data-testid="users-import-errors">
            <TableHead>
              <TableRow>
                <TableCell sx={{ width: 56 }}>Line</TableCell>
                <TableCell sx={{ width: 96 }}>Field</TableCell>
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
