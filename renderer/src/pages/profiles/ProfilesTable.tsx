/** Built profiles: name, identifier, target, signature, size, date; preview, sign and export. */
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import DrawIcon from '@mui/icons-material/Draw';
import FileDownloadIcon from '@mui/icons-material/FileDownload';
import PreviewIcon from '@mui/icons-material/Preview';
import VerifiedIcon from '@mui/icons-material/Verified';
import type { ProfileRow } from '../../../../main/app/types';
import { api, messageOf } from '../../api';
import { SectionCard } from '../../components/SectionCard';
import { downloadBase64, formatBytes, formatDateTime } from '../../files';
import type { ListState } from '../../hooks/useProfiles';
import { MONO_STACK } from '../../theme';

const TARGET: Record<ProfileRow['target'], string> = { ios: 'iOS', macos: 'macOS', tvos: 'tvOS' };

/** Props: the list state and the preview/sign openers. */
export interface ProfilesTableProps {
  profiles: ListState<ProfileRow>;
  onPreview: (name: string, xml: string) => void;
  onSign: (profile: ProfileRow) => void;
}

/** The profiles table. */
export function ProfilesTable({ profiles, onPreview, onSign }: ProfilesTableProps) {
  const [error, setError] = useState<string | null>(null);

  const preview = async (p: ProfileRow) => {
    setError(null);
    try {
      const { xml } = await api().invoke('profiles:get', { id: p.id });
      onPreview(p.name, xml);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const exportFile = async (p: ProfileRow) => {
    setError(null);
    try {
      const file = await api().invoke('profiles:export', { id: p.id });
      downloadBase64(file.base64, file.filename, file.mimeType);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <SectionCard title="Profiles" subtitle="Profiles built on this workstation, kept in the local cache." testId="profiles-list">
      {(error || profiles.error) && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {error ?? profiles.error}
        </Alert>
      )}
      {profiles.rows.length === 0 && !profiles.loading ? (
        <Typography variant="body2" color="text.secondary">
          No profile built yet. Fill in the form above and choose “Validate and build”.
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Identifier</TableCell>
                <TableCell>Target</TableCell>
                <TableCell>Signature</TableCell>
                <TableCell align="right">Size</TableCell>
                <TableCell>Built</TableCell>
                <TableCell align="right">Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {profiles.rows.map((p) => (
                <TableRow key={p.id} hover data-testid="profile-row" data-profile-id={p.id} data-signed={p.signed ? 'true' : 'false'}>
                  <TableCell sx={{ fontWeight: 600 }}>{p.name}</TableCell>
                  <TableCell sx={{ fontFamily: MONO_STACK, fontSize: 12.5 }}>{p.payloadIdentifier}</TableCell>
                  <TableCell>{TARGET[p.target]}</TableCell>
                  <TableCell>
                    {p.signed ? (
                      <Tooltip title={p.signerSubject ?? ''}>
                        <Chip size="small" color="success" variant="outlined" icon={<VerifiedIcon />} label="Signed" />
                      </Tooltip>
                    ) : (
                      <Chip size="small" variant="outlined" label="Unsigned" />
                    )}
                  </TableCell>
                  <TableCell align="right">{formatBytes(p.sizeBytes)}</TableCell>
                  <TableCell>{formatDateTime(p.createdAt)}</TableCell>
                  <TableCell align="right">
                    <Stack direction="row" spacing={0.5} sx={{ justifyContent: 'flex-end' }}>
                      <Button size="small" startIcon={<PreviewIcon />} onClick={() => void preview(p)}>
                        Preview
                      </Button>
                      {!p.signed && (
                        <Button size="small" startIcon={<DrawIcon />} onClick={() => onSign(p)}>
                          Sign
                        </Button>
                      )}
                      <Button size="small" startIcon={<FileDownloadIcon />} onClick={() => void exportFile(p)}>
                        Export
                      </Button>
                    </Stack>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </SectionCard>
  );
}
