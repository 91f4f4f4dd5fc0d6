/**
 * A server's Device Enrollment profiles: default marked, device counts, sync state (draft /
 * pending / synced / error with Apple's error), "Send now" (pushes queued definitions and
 * assignments to Apple) with a visible offline state when Apple is unreachable, and per-profile
 * actions: Edit, Set as Default, Edit Authentication, Delete.
 */
import { useCallback, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import Link from '@mui/material/Link';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import CloudOffIcon from '@mui/icons-material/CloudOff';
import MoreVertIcon from '@mui/icons-material/MoreVert';
import NoteAddIcon from '@mui/icons-material/NoteAdd';
import SendIcon from '@mui/icons-material/Send';
import StarIcon from '@mui/icons-material/Star';
import type { DepProfileSummaryOut, DepServerOut } from '../../../../main/ipc/contract-dep';
import { api, messageOf } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useToast } from '../../components/Toasts';
import { formatDateTime } from '../../files';
import { AuthDialog } from './AuthDialog';
import { SyncStateChip } from './dep-ui';

/** Props: the server, and navigation to the editor and to a profile's devices. */
export interface ProfilesPanelProps {
  server: DepServerOut;
  onEdit: (profileId: string | null) => void;
  onDevices: (profileId: string) => void;
}

/** The profiles table. */
export function ProfilesPanel({ server, onEdit, onDevices }: ProfilesPanelProps) {
  const toast = useToast();
  const [profiles, setProfiles] = useState<DepProfileSummaryOut[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [menu, setMenu] = useState<{ el: HTMLElement; p: DepProfileSummaryOut } | null>(null);
  const [authFor, setAuthFor] = useState<DepProfileSummaryOut | null>(null);
  const [deleting, setDeleting] = useState<DepProfileSummaryOut | null>(null);
  const [sending, setSending] = useState(false);
  const [offline, setOffline] = useState<string | null>(null);

  const load = useCallback(() => {
    api().invoke('dep:profiles', { serverId: server.id }).then((p) => { setProfiles(p); setError(null); }).catch((err: unknown) => setError(messageOf(err)));
  }, [server.id]);
  useEffect(load, [load]);

  const pending = (profiles ?? []).reduce((n, p) => n + p.pendingSends, 0);
  const sendNow = async () => {
    setSending(true);
    try {
      const r = await api().invoke('dep:push', { serverId: server.id });
      if (r.unreachable) {
        const why = r.items.find((i) => i.outcome === 'unreachable')?.message ?? '';
        setOffline(`Apple’s Device Assignment service cannot be reached${why ? ` (${why})` : ''}. ${r.remaining} change${r.remaining === 1 ? '' : 's'} stay queued on this workstation; send again when the network is back.`);
      } else setOffline(null);
      const firstError = r.items.find((i) => i.outcome === 'error');
      toast({
        severity: r.failed ? 'error' : r.unreachable ? 'warning' : 'success',
        message: r.sent + r.failed === 0 && !r.unreachable ? 'Nothing to send: every profile is in sync with Apple'
          : `Sent ${r.sent} change${r.sent === 1 ? '' : 's'} to Apple${r.failed ? `, ${r.failed} refused${firstError ? ` (${firstError.profileName}: ${firstError.message})` : ''}` : ''}${r.remaining ? `, ${r.remaining} still queued` : ''}`,
      });
    } catch (err) {
      toast({ severity: 'error', message: `Send now: ${messageOf(err)}` });
    } finally {
      setSending(false);
      load();
    }
  };
  const setDefault = async (p: DepProfileSummaryOut) => {
    try {
      await api().invoke('dep:profile-set-default', { id: p.id });
      toast({ severity: 'success', message: `“${p.name}” is now the default: new devices of ${server.name} get it` });
    } catch (err) {
      toast({ severity: 'error', message: messageOf(err) });
    }
    load();
  };
  const remove = async (p: DepProfileSummaryOut) => {
    setDeleting(null);
    try {
      const r = await api().invoke('dep:profile-delete', { id: p.id });
      toast({ severity: 'success', message: `“${p.name}” deleted${r.reassigned ? `; ${r.reassigned} devices moved to the default profile (queued for Apple)` : ''}` });
    } catch (err) {
      toast({ severity: 'error', message: messageOf(err) });
    }
    load();
  };
  const pick = (run: (p: DepProfileSummaryOut) => void) => () => { if (menu) run(menu.p); setMenu(null); };

  return (
    <Stack spacing={2} data-testid="dep-profiles">
      {error && <Alert severity="error" action={<Button color="inherit" size="small" onClick={load}>Retry</Button>}>{error}</Alert>}
      {offline && (
        <Alert severity="warning" icon={<CloudOffIcon />} data-testid="dep-offline" action={<Button color="inherit" size="small" onClick={() => void sendNow()}>Try again</Button>}>
          {offline}
        </Alert>
      )}
      <Card>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', px: 2, py: 1.5 }}>
          <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
            {pending ? `${pending} change${pending === 1 ? '' : 's'} waiting to be sent to Apple` : 'Profiles are saved here first, then sent to Apple with Send now.'}
          </Typography>
          <Button variant="outlined" startIcon={<SendIcon />} disabled={sending || !server.hasToken} onClick={() => void sendNow()} data-testid="send-now">
            {sending ? 'Sending…' : pending ? `Send now (${pending})` : 'Send now'}
          </Button>
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => onEdit(null)}>Create new profile</Button>
        </Stack>
        {profiles && profiles.length === 0 ? (
          <EmptyState bare icon={<NoteAddIcon />} title="No enrollment profile yet" testId="profiles-empty"
            steps={['Create a profile: supervision, Setup Assistant panes to skip, authentication.', 'The first profile becomes the default: new devices of this server get it.', 'Assign devices in bulk from the Devices tab, then Send now.']}
            primary={{ label: 'Create new profile', onClick: () => onEdit(null), icon: <AddIcon /> }}>
            A Device Enrollment profile tells each device how to set itself up and enroll.
          </EmptyState>
        ) : (
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Profile name</TableCell>
                <TableCell>Department</TableCell>
                <TableCell>Support phone</TableCell>
                <TableCell align="right">Devices</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Updated</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {profiles?.map((p) => (
                <TableRow key={p.id} hover data-testid="dep-profile-row" data-name={p.name}>
                  <TableCell>
                    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                      <Link component="button" variant="body2" sx={{ fontWeight: 600 }} onClick={() => onEdit(p.id)}>{p.name}</Link>
                      {p.isDefault && <Chip size="small" icon={<StarIcon />} label="Default" color="primary" variant="outlined" data-testid="default-chip" />}
                    </Stack>
                    {p.description && <Typography variant="caption" color="text.secondary">{p.description}</Typography>}
                  </TableCell>
                  <TableCell>{p.department ?? '—'}</TableCell>
                  <TableCell>{p.supportPhone ?? '—'}</TableCell>
                  <TableCell align="right"><Link component="button" variant="body2" onClick={() => onDevices(p.id)} data-testid="profile-devices">{p.deviceCount.toLocaleString()}</Link></TableCell>
                  <TableCell>
                    <SyncStateChip profile={p} />
                    {p.syncState === 'error' && p.lastError && <Typography variant="caption" color="error" component="div" sx={{ maxWidth: 320 }}>{p.lastError}</Typography>}
                  </TableCell>
                  <TableCell>{formatDateTime(p.updatedAt)}</TableCell>
                  <TableCell align="right"><IconButton aria-label={`Actions for ${p.name}`} onClick={(e) => setMenu({ el: e.currentTarget, p })}><MoreVertIcon /></IconButton></TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
      <Box />
      <Menu anchorEl={menu?.el} open={!!menu} onClose={() => setMenu(null)}>
        <MenuItem onClick={pick((p) => onEdit(p.id))}>Edit profile</MenuItem>
        <MenuItem disabled={menu?.p.isDefault} onClick={pick((p) => void setDefault(p))}>Set as default profile</MenuItem>
        <MenuItem onClick={pick(setAuthFor)}>Edit authentication</MenuItem>
        <MenuItem onClick={pick((p) => onDevices(p.id))}>Show devices</MenuItem>
        <MenuItem disabled={menu?.p.isDefault} onClick={pick(setDeleting)} sx={{ color: 'error.main' }}>{menu?.p.isDefault ? 'Delete (make another profile the default first)' : 'Delete'}</MenuItem>
      </Menu>
      <AuthDialog profile={authFor} onClose={() => setAuthFor(null)} onSaved={() => { setAuthFor(null); load(); }} />
      <Dialog open={!!deleting} onClose={() => setDeleting(null)} aria-labelledby="delete-profile-title">
        <DialogTitle id="delete-profile-title">Delete “{deleting?.name}”?</DialogTitle>
        <DialogContent>
          <DialogContentText>Its {deleting?.deviceCount ?? 0} devices move to the default profile; the move is queued for Apple.</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(null)}>Cancel</Button>
          <Button color="error" variant="contained" onClick={() => deleting && void remove(deleting)}>Delete profile</Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
