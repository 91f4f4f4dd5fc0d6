/**
 * Organizations page: the organizations whose supervision identities prepare and supervise devices
 * at this bench — create one (new identity), import one (.p12, or certificate + key), and export
 * the supervision certificate (DER) for the MDM or Apple Configurator. The private key never leaves.
 */
import { useCallback, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import CorporateFareIcon from '@mui/icons-material/CorporateFare';
import DownloadIcon from '@mui/icons-material/Download';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import type { OrganizationOut } from '../../../../main/ipc/contract-organizations';
import { api, messageOf } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { SectionCard } from '../../components/SectionCard';
import { useToast } from '../../components/Toasts';
import { downloadBase64, formatDate } from '../../files';
import { CreateOrganizationDialog } from './CreateOrganizationDialog';
import { ImportOrganizationDialog } from './ImportOrganizationDialog';

const SOURCE: Record<OrganizationOut['source'], string> = { created: 'Created here', 'imported-p12': 'Imported .p12', 'imported-der': 'Imported cert + key' };

/** The common name of a one-line subject, else the subject. */
function cn(subject: string): string {
  return /(?:^|\n|\/|,\s*)CN=([^\n/,]+)/.exec(subject)?.[1] ?? subject;
}

/** The Organizations page. */
export function OrganizationsPage() {
  const toast = useToast();
  const [rows, setRows] = useState<OrganizationOut[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);

  const load = useCallback(async () => {
    try {
      setRows(await api().invoke('organizations:list'));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const exportCert = async (o: OrganizationOut) => {
    try {
      const f = await api().invoke('organizations:export-certificate', { id: o.id, format: 'der' });
      downloadBase64(f.base64, f.filename, f.mimeType);
      toast({ severity: 'success', message: `Saved ${f.filename} — the supervision certificate only; the private key stays sealed here` });
    } catch (err) {
      toast({ severity: 'error', message: `Could not export the certificate: ${messageOf(err)}` });
    }
  };
  const added = (row: OrganizationOut, verb: string) => {
    setDialog(null);
    toast({ severity: 'success', message: `Organization “${row.name}” ${verb}` });
    void load();
  };

  const actions = (
    <Stack direction="row" spacing={1}>
      <Button startIcon={<UploadFileIcon />} onClick={() => setDialog('import')}>
        Import identity
      </Button>
      <Button variant="contained" startIcon={<AddIcon />} onClick={() => setDialog('create')}>
        New organization
      </Button>
    </Stack>
  );

  return (
    <Stack spacing={3} data-testid="organizations-page">
      {error && (
        <Alert severity="error" action={<Button onClick={() => void load()}>Retry</Button>}>
          Cannot list organizations: {error}
        </Alert>
      )}
      {rows && rows.length === 0 ? (
        <EmptyState
          testId="organizations-empty"
          icon={<CorporateFareIcon />}
          title="No organizations yet"
          steps={[
            'Create an organization: StageBench generates its supervision identity (certificate + sealed private key).',
            'Or import the identity you already supervise devices with — a .p12 from Apple Configurator, or its certificate and key.',
            'Use the organization in a blueprint’s Prepare step; export its certificate for your MDM.',
          ]}
          primary={{ label: 'New organization', onClick: () => setDialog('create'), icon: <AddIcon /> }}
          secondary={{ label: 'Import identity', onClick: () => setDialog('import'), icon: <UploadFileIcon /> }}
        >
          An organization is who supervises a device: its name shows on the device, and its identity lets the bench pair without the Trust dialog.
        </EmptyState>
      ) : (
        <SectionCard title="Organizations" subtitle="Supervision identities of this bench. Private keys are sealed and never exported." actions={actions} testId="organizations-card">
          <Table size="small" aria-label="Organizations">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Supervision certificate</TableCell>
                <TableCell>Source</TableCell>
                <TableCell>Valid until</TableCell>
                <TableCell>Contact</TableCell>
                <TableCell align="right">Certificate</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {(rows ?? []).map((o) => (
                <TableRow key={o.id} data-testid="organization-row" hover>
                  <TableCell sx={{ fontWeight: 600 }}>
                    {o.name}
                    {o.department && (
                      <Typography variant="body2" color="text.secondary">
                        {o.department}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <Typography variant="body2">{cn(o.subject)}</Typography>
                    <Tooltip title={`SHA-256 ${o.fingerprintSha256}`}>
                      <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
                        {o.fingerprintSha256.slice(0, 16).replace(/(..)(?=.)/g, '$1:')}…
                      </Typography>
                    </Tooltip>
                  </TableCell>
                  <TableCell>
                    <Chip size="small" variant="outlined" label={`${SOURCE[o.source]} · ${o.keyType.toUpperCase()}`} />
                  </TableCell>
                  <TableCell>{formatDate(o.notAfter)}</TableCell>
                  <TableCell>{[o.email, o.phone].filter(Boolean).join(' · ') || '—'}</TableCell>
                  <TableCell align="right">
                    <Button size="small" startIcon={<DownloadIcon />} onClick={() => void exportCert(o)} aria-label={`Export the certificate of ${o.name}`}>
                      Export .cer
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </SectionCard>
      )}
      <CreateOrganizationDialog open={dialog === 'create'} onClose={() => setDialog(null)} onCreated={(r) => added(r, 'created with a new supervision identity')} />
      <ImportOrganizationDialog open={dialog === 'import'} onClose={() => setDialog(null)} onImported={(r) => added(r, 'imported')} />
    </Stack>
  );
}
