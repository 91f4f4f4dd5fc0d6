/**
 * The ABM server list ("Admin > Apple > Device Enrollment"): Name, Apple account / organisation,
 * devices, profiles, Last Sync and Token Expires (warning chips 30/7/1 days ahead), searchable and
 * sortable, with the per-server actions: Test Connection, Add Device Enrollment Profile, Download
 * Public Key, Full Sync (one at a time, with progress), Upload New Token, Delete.
 */
import { useCallback, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import ListItemIcon from '@mui/material/ListItemIcon';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import KeyIcon from '@mui/icons-material/Key';
import MoreVertIcon from '@mui/icons-material/MoreVert';
import NetworkCheckIcon from '@mui/icons-material/NetworkCheck';
import NoteAddIcon from '@mui/icons-material/NoteAdd';
import PhonelinkSetupIcon from '@mui/icons-material/PhonelinkSetup';
import SearchIcon from '@mui/icons-material/Search';
import SyncIcon from '@mui/icons-material/Sync';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import type { DepServerOut, DepServerSort } from '../../../../main/ipc/contract-dep';
import { api, messageOf } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useToast } from '../../components/Toasts';
import { downloadText, formatDateTime } from '../../files';
import { useDebounced } from '../../hooks/useDebounced';
import { hasCode, TokenExpiryChip } from './dep-ui';
import { AddServerDialog, DeleteServerDialog, TokenDialog } from './ServerDialogs';

/** Props: open a server's profiles or devices, or the profile editor for a new profile. */
export interface ServersViewProps {
  onOpen: (server: DepServerOut, tab: 'profiles' | 'devices') => void;
  onNewProfile: (server: DepServerOut) => void;
}

const COLUMNS: { id: DepServerSort | null; label: string; align?: 'right' }[] = [
  { id: 'name', label: 'Name' },
  { id: 'org', label: 'Apple account / organisation' },
  { id: 'devices', label: 'Devices', align: 'right' },
  { id: 'profiles', label: 'Profiles', align: 'right' },
  { id: 'last-sync', label: 'Last Sync' },
  { id: 'token-expires', label: 'Token Expires' },
  { id: null, label: '' },
];

/** The server list page. */
export function ServersView({ onOpen, onNewProfile }: ServersViewProps) {
  const toast = useToast();
  const [servers, setServers] = useState<DepServerOut[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<{ id: DepServerSort; desc: boolean }>({ id: 'name', desc: false });
  const [menu, setMenu] = useState<{ el: HTMLElement; server: DepServerOut } | null>(null);
  const [adding, setAdding] = useState(false);
  const [tokenFor, setTokenFor] = useState<DepServerOut | null>(null);
  const [deleting, setDeleting] = useState<DepServerOut | null>(null);
  const [starting, setStarting] = useState<Set<string>>(new Set());
  const q = useDebounced(search, 200);

  const load = useCallback(() => {
    api()
      .invoke('dep:servers', { search: q.trim() || undefined, sort: sort.id, desc: sort.desc })
      .then((s) => { setServers(s); setError(null); })
      .catch((err: unknown) => setError(messageOf(err)));
  }, [q, sort]);
  useEffect(load, [load]);

  // Poll while a sync runs so its progress and the new counts show.
  const running = starting.size > 0 || !!servers?.some((s) => s.sync);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(load, 700);
    return () => clearInterval(t);
  }, [running, load]);

  const act = async (label: string, run: () => Promise<string>) => {
    try {
      toast({ severity: 'success', message: await run() });
    } catch (err) {
      toast({ severity: 'error', message: `${label}: ${messageOf(err)}` });
    }
    load();
  };
  const testConnection = (s: DepServerOut) => act('Test Connection', async () => {
    const r = await api().invoke('dep:test-connection', { server: s.id });
    return `Connected to Apple: ${r.appleServerName ?? s.name}${r.orgName ? ` · ${r.orgName}` : ''}${r.adminId ? ` (${r.adminId})` : ''}`;
  });
  const publicKey = (s: DepServerOut) => act('Download Public Key', async () => {
    const r = await api().invoke('dep:public-key', { server: s.id });
    downloadText(r.publicKeyPem, r.filename, 'application/x-pem-file');
    return `${r.filename} downloaded: upload it to the MDM server in Apple Business Manager`;
  });
  const fullSync = async (s: DepServerOut) => {
    setStarting((x) => new Set(x).add(s.id));
    try {
      const r = await api().invoke('dep:sync', { server: s.id, full: true });
      toast({ severity: 'success', message: `Full Sync of “${s.name}”: ${r.received} devices received (+${r.added} new, ${r.modified} changed, ${r.deleted + r.pruned} removed)${r.defaultAssigned ? `; ${r.defaultAssigned} given the default profile` : ''}` });
    } catch (err) {
      toast({ severity: hasCode(err, 'E_SYNC_IN_PROGRESS') ? 'info' : 'error', message: `Full Sync of “${s.name}”: ${messageOf(err)}` });
    } finally {
      setStarting((x) => { const n = new Set(x); n.delete(s.id); return n; });
      load();
    }
  };
  const syncing = (s: DepServerOut) => !!s.sync || starting.has(s.id);
  const pick = (run: (s: DepServerOut) => void) => () => { if (menu) run(menu.server); setMenu(null); };

  const header = (
    <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', px: 2, py: 1.5 }}>
      <TextField
        placeholder="Search name, account, organisation"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        sx={{ maxWidth: 380 }}
        slotProps={{ input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> }, htmlInput: { 'aria-label': 'Search servers' } }}
      />
      <Box sx={{ flexGrow: 1 }} />
      <Button variant="contained" startIcon={<AddIcon />} onClick={() => setAdding(true)}>Add server</Button>
    </Stack>
  );

  const empty = servers && servers.length === 0 && !q.trim();
  return (
    <Stack spacing={2} data-testid="enrollment-page">
      <Typography variant="body2" color="text.secondary">
        Apple Business Manager MDM servers whose devices enroll through this tenant. Open a server for its enrollment profiles and devices.
      </Typography>
      {error && <Alert severity="error" action={<Button color="inherit" size="small" onClick={load}>Retry</Button>}>{error}</Alert>}
      <Card>
        {header}
        {empty ? (
          <EmptyState bare icon={<PhonelinkSetupIcon />} title="No ABM server yet" testId="enrollment-empty"
            steps={[
              'Click Add server: StageBench creates its key pair and downloads the public key.',
              'In Apple Business Manager, add an MDM server with that key and download its server token (.p7m).',
              'Choose Upload New Token on the server here (or drop the .p7m onto the window), then Test Connection and Full Sync.',
            ]}
            primary={{ label: 'Add server', onClick: () => setAdding(true), icon: <AddIcon /> }}>
            Automated Device Enrollment lets devices enroll out of the box, supervised, without touching the bench.
          </EmptyState>
        ) : (
          <Table size="small" data-testid="dep-servers">
            <TableHead>
              <TableRow>
                {COLUMNS.map((c) => (
                  <TableCell key={c.label} align={c.align} sortDirection={c.id && sort.id === c.id ? (sort.desc ? 'desc' : 'asc') : false}>
                    {c.id ? (
                      <TableSortLabel active={sort.id === c.id} direction={sort.id === c.id && sort.desc ? 'desc' : 'asc'}
                        onClick={() => setSort((s) => ({ id: c.id!, desc: s.id === c.id ? !s.desc : false }))}>
                        {c.label}
                      </TableSortLabel>
                    ) : c.label}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {servers?.length === 0 && (
                <TableRow><TableCell colSpan={COLUMNS.length}><Typography color="text.secondary" sx={{ py: 2 }}>No server matches “{q}”.</Typography></TableCell></TableRow>
              )}
              {servers?.map((s) => (
                <TableRow key={s.id} hover data-testid="dep-server-row" data-name={s.name}>
                  <TableCell>
                    <Link component="button" variant="body2" sx={{ fontWeight: 600 }} onClick={() => onOpen(s, 'profiles')}>{s.name}</Link>
                    {syncing(s) && (
                      <Box sx={{ mt: 0.5, maxWidth: 260 }} data-testid="sync-progress">
                        <LinearProgress />
                        <Typography variant="caption" color="text.secondary">
                          {s.sync ? `${s.sync.full ? 'Full Sync' : 'Sync'}: ${s.sync.received} devices received` : 'Full Sync starting…'}
                        </Typography>
                      </Box>
                    )}
                  </TableCell>
                  <TableCell>
                    {s.appleAccount || s.orgName ? (
                      <>
                        <Typography variant="body2">{s.appleAccount ?? '—'}</Typography>
                        <Typography variant="caption" color="text.secondary">{[s.orgName, s.appleServerName].filter(Boolean).join(' · ')}</Typography>
                      </>
                    ) : (
                      <Typography variant="body2" color="text.secondary">{s.hasToken ? 'Run Test Connection' : 'Upload the token first'}</Typography>
                    )}
                  </TableCell>
                  <TableCell align="right"><Link component="button" variant="body2" onClick={() => onOpen(s, 'devices')} data-testid="server-devices">{s.deviceCount.toLocaleString()}</Link></TableCell>
                  <TableCell align="right"><Link component="button" variant="body2" onClick={() => onOpen(s, 'profiles')} data-testid="server-profiles">{s.profileCount}</Link></TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                      <span>{s.lastSyncAt ? formatDateTime(s.lastSyncAt) : 'Never'}</span>
                      {s.lastSyncStatus === 'failed' && <Tooltip title={s.lastSyncError ?? ''}><Chip size="small" color="error" label="Failed" /></Tooltip>}
                    </Stack>
                  </TableCell>
                  <TableCell><TokenExpiryChip server={s} /></TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    {!s.hasToken && <Button size="small" startIcon={<UploadFileIcon />} onClick={() => setTokenFor(s)}>Upload token</Button>}
                    <IconButton aria-label={`Actions for ${s.name}`} onClick={(e) => setMenu({ el: e.currentTarget, server: s })}><MoreVertIcon /></IconButton>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
      <Menu anchorEl={menu?.el} open={!!menu} onClose={() => setMenu(null)}>
        <MenuItem disabled={!menu?.server.hasToken} onClick={pick((s) => void testConnection(s))}><ListItemIcon><NetworkCheckIcon fontSize="small" /></ListItemIcon>Test Connection</MenuItem>
        <MenuItem onClick={pick(onNewProfile)}><ListItemIcon><NoteAddIcon fontSize="small" /></ListItemIcon>Add Device Enrollment Profile</MenuItem>
        <MenuItem onClick={pick((s) => void publicKey(s))}><ListItemIcon><KeyIcon fontSize="small" /></ListItemIcon>Download Public Key</MenuItem>
        <MenuItem disabled={!menu?.server.hasToken || (menu ? syncing(menu.server) : false)} onClick={pick((s) => void fullSync(s))}>
          <ListItemIcon><SyncIcon fontSize="small" /></ListItemIcon>{menu && syncing(menu.server) ? 'Full Sync running…' : 'Device Enrollment Full Sync'}
        </MenuItem>
        <MenuItem onClick={pick(setTokenFor)}><ListItemIcon><UploadFileIcon fontSize="small" /></ListItemIcon>Upload New Token</MenuItem>
        <MenuItem disabled={menu ? syncing(menu.server) : false} onClick={pick(setDeleting)} sx={{ color: 'error.main' }}><ListItemIcon><DeleteOutlineIcon fontSize="small" color="error" /></ListItemIcon>Delete</MenuItem>
      </Menu>
      <AddServerDialog open={adding} onClose={() => setAdding(false)} onAdded={(s) => { setAdding(false); load(); setTokenFor(s); }} />
      <TokenDialog server={tokenFor} onClose={() => setTokenFor(null)} onUploaded={() => { setTokenFor(null); load(); }} />
      <DeleteServerDialog server={deleting} onClose={() => setDeleting(null)} onDeleted={() => { setDeleting(null); load(); }} />
    </Stack>
  );
}
