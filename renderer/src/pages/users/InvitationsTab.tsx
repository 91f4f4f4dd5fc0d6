/**
 * The Invitations tab: every invitation with its status (pending, used, expired, revoked,
 * replaced, locked), filtered by status and searched by email; resend (a new PIN, shown once) and
 * revoke (confirmed) for open, expired or locked ones. PINs never appear here.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import MailOutlineIcon from '@mui/icons-material/ForwardToInbox';
import SearchIcon from '@mui/icons-material/Search';
import type { InvitationRowOut, IssuedInvitationOut } from '../../../../main/ipc/contract-registration';
import type { InvitationStatus } from '../../../../main/registration/types';
import { api, messageOf } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useToast } from '../../components/Toasts';
import { formatDateTime } from '../../files';
import { LANGUAGE_LABELS, reopenable, STATUS_COLORS, STATUS_LABELS } from './labels';

/** Props: refresh counter (bumped after invites), the resend result sink, and the opener of the Users tab. */
export interface InvitationsTabProps {
  version: number;
  onResent: (issued: IssuedInvitationOut[]) => void;
  onOpenUsers: () => void;
}

type Filter = 'all' | InvitationStatus;
const FILTERS: Filter[] = ['all', 'sent', 'used', 'expired', 'revoked', 'locked', 'superseded'];

/** The Invitations tab. */
export function InvitationsTab({ version, onResent, onOpenUsers }: InvitationsTabProps) {
  const toast = useToast();
  const [rows, setRows] = useState<InvitationRowOut[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<InvitationRowOut | null>(null);
  const [reload, setReload] = useState(0);
  const refresh = useCallback(() => setReload((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    api()
      .invoke('invitations:list')
      .then((r) => live && (setRows(r), setError(null)))
      .catch((err: unknown) => live && setError(messageOf(err)));
    return () => {
      live = false;
    };
  }, [version, reload]);
  const counts = useMemo(() => {
    const c: Partial<Record<Filter, number>> = { all: rows?.length ?? 0 };
    for (const r of rows ?? []) c[r.status] = (c[r.status] ?? 0) + 1;
    return c;
  }, [rows]);
  const shown = (rows ?? []).filter((r) => (filter === 'all' || r.status === filter) && r.email.includes(search.trim().toLowerCase()));

  const resend = async (r: InvitationRowOut) => {
    setBusy(r.id);
    try {
      const out = await api().invoke('invitations:resend', { id: r.id });
      onResent(out.invitations);
      refresh();
    } catch (err) {
      toast({ severity: 'error', message: `Could not resend to ${r.email}: ${messageOf(err)}` });
    } finally {
      setBusy(null);
    }
  };
  const revoke = async (r: InvitationRowOut) => {
    setRevoking(null);
    setBusy(r.id);
    try {
      await api().invoke('invitations:revoke', { id: r.id });
      toast({ severity: 'success', message: `Invitation of ${r.email} revoked: its PIN no longer works` });
      refresh();
    } catch (err) {
      toast({ severity: 'error', message: `Could not revoke: ${messageOf(err)}` });
    } finally {
      setBusy(null);
    }
  };

  if (rows && rows.length === 0) {
    return (
      <EmptyState
        testId="invitations-empty"
        icon={<MailOutlineIcon />}
        title="No invitations yet"
        steps={['Open the Users tab and select the users to invite.', 'Click Invite: each user gets a registration link, QR codes and a one-time PIN.', 'Their invitations show up here: resend a lost PIN or revoke an invitation.']}
        primary={{ label: 'Choose users to invite', onClick: onOpenUsers }}
      >
        Invitations let users register their iPhones, iPads and Macs with the tenant.
      </EmptyState>
    );
  }
  return (
    <Card data-testid="invitations-card">
      <Stack direction="row" spacing={1.5} sx={{ px: 2, py: 1.5, alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <TextField size="small" placeholder="Search email" value={search} onChange={(e) => setSearch(e.target.value)} sx={{ width: 260 }}
          slotProps={{ htmlInput: { 'aria-label': 'Search invitations' }, input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> } }} />
        <ToggleButtonGroup size="small" exclusive value={filter} onChange={(_, v: Filter | null) => v && setFilter(v)} aria-label="Status">
          {FILTERS.map((f) => (
            <ToggleButton key={f} value={f} sx={{ textTransform: 'none', px: 1.25 }}>
              {f === 'all' ? 'All' : STATUS_LABELS[f]} {counts[f] ? `(${counts[f]})` : ''}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Stack>
      <LinearProgress sx={{ height: 2, visibility: rows === null || busy ? 'visible' : 'hidden' }} />
      {error && <Alert severity="error" sx={{ m: 2 }} action={<Button color="inherit" size="small" onClick={refresh}>Retry</Button>}>The invitations could not be loaded: {error}</Alert>}
      <TableContainer sx={{ maxHeight: 'calc(100vh - 300px)' }}>
        <Table stickyHeader size="small" aria-label="Invitations" data-testid="invitations-table">
          <TableHead>
            <TableRow>
              {['User', 'Status', 'Device', 'Language', 'PIN expires', 'Last sent', 'Resends', ''].map((h, i) => (
                <TableCell key={i} sx={{ fontWeight: 600 }} align={i === 7 ? 'right' : undefined}>{h}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map((r) => (
              <TableRow key={r.id} hover data-testid="invitation-row" data-email={r.email} data-status={r.status}>
                <TableCell sx={{ maxWidth: 320 }}><Typography variant="body2" noWrap title={r.email}>{r.email}</Typography></TableCell>
                <TableCell><Chip size="small" label={STATUS_LABELS[r.status]} color={STATUS_COLORS[r.status]} variant={r.status === 'sent' ? 'filled' : 'outlined'} /></TableCell>
                <TableCell>{r.platform === 'ios' ? 'iPhone / iPad' : 'Mac'}</TableCell>
                <TableCell>{LANGUAGE_LABELS[r.language]}</TableCell>
                <TableCell>{!r.hasPin ? <Typography variant="body2" color="text.secondary">No PIN</Typography> : reopenable(r.status) ? formatDateTime(r.pinExpiresAt) : <Typography variant="body2" color="text.secondary">—</Typography>}</TableCell>
                <TableCell>{formatDateTime(r.lastSentAt)}</TableCell>
                <TableCell>{r.resendCount}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  {reopenable(r.status) && (
                    <>
                      <Button size="small" disabled={busy === r.id} onClick={() => void resend(r)}>Resend</Button>
                      <Button size="small" color="error" disabled={busy === r.id} onClick={() => setRevoking(r)}>Revoke</Button>
                    </>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {rows && shown.length === 0 && (
          <Alert severity="info" sx={{ m: 2 }} action={<Button color="inherit" size="small" onClick={() => { setFilter('all'); setSearch(''); }}>Show all</Button>}>
            No invitations match the search and status.
          </Alert>
        )}
      </TableContainer>
      <Dialog open={!!revoking} onClose={() => setRevoking(null)} aria-labelledby="revoke-title">
        <DialogTitle id="revoke-title">Revoke the invitation of {revoking?.email}?</DialogTitle>
        <DialogContent>
          <DialogContentText>Its registration PIN stops working at once. Invite the user again to send a new one.</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRevoking(null)}>Cancel</Button>
          <Button color="error" variant="contained" onClick={() => revoking && void revoke(revoking)}>Revoke</Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
}
