/**
 * The Users tab: the registration users table with search, Add user, CSV export and — for the
 * selected users — Invite; beside it the CSV import and what invitations will carry.
 */
import { useCallback, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Grid from '@mui/material/Grid';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import BadgeIcon from '@mui/icons-material/Badge';
import CloseIcon from '@mui/icons-material/Close';
import DownloadIcon from '@mui/icons-material/Download';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import SearchIcon from '@mui/icons-material/Search';
import SendIcon from '@mui/icons-material/Send';
import type { RegistrationSettingsView, RegistrationUserOut } from '../../../../main/ipc/contract-registration';
import { api, messageOf } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useToast } from '../../components/Toasts';
import { downloadBase64 } from '../../files';
import { useDebounced } from '../../hooks/useDebounced';
import { ImportCard } from './ImportCard';
import { RegistrationSummary } from './RegistrationSummary';
import { UserDialog } from './UserDialog';
import { UsersTable } from './UsersTable';

/** Props: settings view (for the summary), and openers for the invite dialog and the settings tab. */
export interface UsersTabProps {
  view: RegistrationSettingsView | null;
  onInvite: (users: RegistrationUserOut[]) => void;
  onOpenSettings: () => void;
  /** Changes after invitations were sent (keeps nothing else in sync; here for symmetry with the list). */
  version: number;
}

/** The Users tab. */
export function UsersTab({ view, onInvite, onOpenSettings, version }: UsersTabProps) {
  const toast = useToast();
  const [search, setSearch] = useState('');
  const term = useDebounced(search, 250);
  const [users, setUsers] = useState<RegistrationUserOut[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<RegistrationUserOut | null | 'new'>(null);
  const [deleting, setDeleting] = useState<RegistrationUserOut | null>(null);
  const [reload, setReload] = useState(0);
  const refresh = useCallback(() => setReload((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    api()
      .invoke('users:list', { search: term })
      .then((u) => {
        if (!live) return;
        setUsers(u);
        setError(null);
        setSelected((s) => new Set([...s].filter((id) => u.some((x) => x.id === id))));
      })
      .catch((err: unknown) => live && setError(messageOf(err)));
    return () => {
      live = false;
    };
  }, [term, reload, version]);

  const exportCsv = async () => {
    try {
      const f = await api().invoke('users:export-csv');
      downloadBase64(f.base64, f.filename, f.mimeType);
      toast({ severity: 'success', message: `Exported ${f.rows} users to ${f.filename}` });
    } catch (err) {
      toast({ severity: 'error', message: `Export failed: ${messageOf(err)}` });
    }
  };
  const remove = async (u: RegistrationUserOut) => {
    setDeleting(null);
    try {
      await api().invoke('users:delete', { user: u.id });
      toast({ severity: 'success', message: `${u.email} deleted with their invitations` });
      setEditing(null);
      refresh();
    } catch (err) {
      toast({ severity: 'error', message: `Could not delete ${u.email}: ${messageOf(err)}` });
    }
  };
  const chosen = (users ?? []).filter((u) => selected.has(u.id));
  const empty = users !== null && users.length === 0 && !term;

  return (
    <Grid container spacing={3}>
      <Grid size={12}>
        <Card sx={{ display: 'flex', flexDirection: 'column', maxHeight: 'max(480px, calc(100vh - 330px))' }} data-testid="users-card">
          <Stack direction="row" spacing={1.5} sx={{ px: 2, py: 1.5, alignItems: 'center' }}>
            <TextField
              size="small"
              placeholder="Search name or email"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              sx={{ width: 320 }}
              slotProps={{ htmlInput: { 'aria-label': 'Search users' }, input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> } }}
            />
            <Typography variant="body2" color="text.secondary" data-testid="users-total">
              {users ? `${users.length.toLocaleString()} ${users.length === 1 ? 'user' : 'users'}` : ' '}
            </Typography>
            <Stack sx={{ flexGrow: 1 }} />
            <Button startIcon={<DownloadIcon />} onClick={() => void exportCsv()} disabled={!users?.length}>
              Export CSV
            </Button>
            <Button variant="contained" startIcon={<PersonAddIcon />} onClick={() => setEditing('new')}>
              Add user
            </Button>
          </Stack>
          {selected.size > 0 && (
            <Stack direction="row" spacing={1} data-testid="users-selection" sx={(t) => ({ alignItems: 'center', px: 2, py: 1, bgcolor: alpha(t.palette.primary.main, t.palette.mode === 'dark' ? 0.16 : 0.07), borderTop: 1, borderBottom: 1, borderColor: 'divider' })}>
              <Typography variant="body2" sx={{ fontWeight: 600, mr: 1 }}>
                {selected.size} selected
              </Typography>
              <Button size="small" variant="contained" startIcon={<SendIcon />} onClick={() => onInvite(chosen)}>
                Invite {selected.size === 1 ? 'user' : `${selected.size} users`}
              </Button>
              <Stack sx={{ flexGrow: 1 }} />
              <Button size="small" startIcon={<CloseIcon />} onClick={() => setSelected(new Set())}>
                Clear selection
              </Button>
            </Stack>
          )}
          <LinearProgress sx={{ height: 2, visibility: users === null ? 'visible' : 'hidden' }} />
          {error && <Alert severity="error" sx={{ m: 2 }} action={<Button color="inherit" size="small" onClick={refresh}>Retry</Button>}>The users could not be loaded: {error}</Alert>}
          {empty ? (
            <EmptyState
              bare
              testId="users-empty-table"
              icon={<BadgeIcon />}
              title="No registration users yet"
              steps={['Add a user, or import a CSV exported from your directory (right).', 'Select users and invite them: each gets a registration link and a one-time PIN.', 'Print the invitation sheets for the bench, or hand them out.']}
              primary={{ label: 'Add user', onClick: () => setEditing('new'), icon: <PersonAddIcon /> }}
            >
              Users registered here can enroll their iPhones, iPads and Macs with an invitation.
            </EmptyState>
          ) : (
            users && (
              <>
                {users.length === 0 && <Alert severity="info" sx={{ m: 2 }} action={<Button color="inherit" size="small" onClick={() => setSearch('')}>Clear search</Button>}>No users match “{term}”.</Alert>}
                <UsersTable users={users} selected={selected} onSelect={setSelected} onOpen={(u) => setEditing(u)} />
              </>
            )
          )}
        </Card>
      </Grid>
      <Grid size={{ xs: 12, lg: 7 }}>
        <ImportCard onImported={refresh} />
      </Grid>
      <Grid size={{ xs: 12, lg: 5 }}>
        <RegistrationSummary view={view} onOpenSettings={onOpenSettings} />
      </Grid>
      <UserDialog
        open={editing !== null}
        user={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={() => { setEditing(null); refresh(); }}
        onDelete={(u) => setDeleting(u)}
      />
      <Dialog open={!!deleting} onClose={() => setDeleting(null)} aria-labelledby="delete-user-title">
        <DialogTitle id="delete-user-title">Delete {deleting?.email}?</DialogTitle>
        <DialogContent>
          <DialogContentText>The user and their invitations are removed; open registration PINs stop working.{deleting?.source === 'ldap' ? ' A later directory import brings the user back.' : ''}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(null)}>Cancel</Button>
          <Button color="error" variant="contained" onClick={() => deleting && void remove(deleting)}>Delete</Button>
        </DialogActions>
      </Dialog>
    </Grid>
  );
}
