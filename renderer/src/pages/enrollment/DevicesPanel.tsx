/**
 * A server's ADE devices (or one profile's, or the unassigned ones): search, sort, windows of 100
 * rows, row selection, bulk "Assign to profile" and Export to CSV (immediate local download of
 * every matching device or of the selection).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import DevicesOtherIcon from '@mui/icons-material/DevicesOther';
import DownloadIcon from '@mui/icons-material/Download';
import SearchIcon from '@mui/icons-material/Search';
import type { DepDeviceOut, DepDeviceSort, DepProfileSummaryOut, DepServerOut } from '../../../../main/ipc/contract-dep';
import { api, messageOf } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useToast } from '../../components/Toasts';
import { downloadBase64 } from '../../files';
import { useDebounced } from '../../hooks/useDebounced';

/** Scope: every device, unassigned ones, or one profile's (its id). */
export type DeviceScope = 'all' | 'unassigned' | string;

/** Props: the server, the scope to start with, and navigation to the server's Full Sync. */
export interface DevicesPanelProps {
  server: DepServerOut;
  scope: DeviceScope;
  onScope: (scope: DeviceScope) => void;
}

const PAGE = 100;
const COLUMNS: { id: DepDeviceSort; label: string }[] = [
  { id: 'serialNumber', label: 'Serial number' },
  { id: 'model', label: 'Model' },
  { id: 'os', label: 'OS' },
  { id: 'profileName', label: 'Enrollment profile' },
  { id: 'assignmentState', label: 'Assignment' },
  { id: 'profileStatus', label: 'Apple status' },
  { id: 'assignedDate', label: 'Assigned to server' },
];

/** Apple's `profile_status` in words. */
const APPLE_STATUS: Record<string, string> = { empty: 'No profile', assigned: 'Assigned', pushed: 'Fetched by device', removed: 'Removed' };

const STATE_COLORS = { pending: 'warning', synced: 'success', error: 'error' } as const;

function AssignmentChip({ d }: { d: DepDeviceOut }) {
  if (d.enrolled) return <Chip size="small" label="Enrolled" variant="outlined" />;
  if (!d.assignmentState) return <Typography variant="body2" color="text.secondary">—</Typography>;
  const chip = <Chip size="small" color={STATE_COLORS[d.assignmentState]} variant={d.assignmentState === 'synced' ? 'outlined' : 'filled'} label={d.assignmentState === 'pending' ? 'Pending send' : d.assignmentState === 'synced' ? 'Sent' : 'Error'} />;
  return d.lastError ? <Tooltip title={d.lastError}>{chip}</Tooltip> : chip;
}

/** The devices table. */
export function DevicesPanel({ server, scope, onScope }: DevicesPanelProps) {
  const toast = useToast();
  const [profiles, setProfiles] = useState<DepProfileSummaryOut[]>([]);
  const [rows, setRows] = useState<DepDeviceOut[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(0);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<{ id: DepDeviceSort; desc: boolean }>({ id: 'serialNumber', desc: false });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const q = useDebounced(search, 200);

  const criteria = useMemo(() => ({
    serverId: server.id,
    profileId: scope !== 'all' && scope !== 'unassigned' ? scope : undefined,
    unassigned: scope === 'unassigned' || undefined,
    search: q.trim() || undefined,
    sort: sort.id,
    desc: sort.desc,
  }), [server.id, scope, q, sort]);

  const load = useCallback(() => {
    api().invoke('dep:devices', { ...criteria, offset: page * PAGE, limit: PAGE })
      .then((w) => { setRows(w.rows); setTotal(w.total); setError(null); })
      .catch((err: unknown) => setError(messageOf(err)));
  }, [criteria, page]);
  useEffect(load, [load]);
  useEffect(() => { setPage(0); }, [criteria]);
  useEffect(() => {
    api().invoke('dep:profiles', { serverId: server.id }).then(setProfiles).catch(() => setProfiles([]));
  }, [server.id]);

  const toggle = (serial: string) => setSelected((s) => { const n = new Set(s); if (n.has(serial)) n.delete(serial); else n.add(serial); return n; });
  const shown = rows ?? [];
  const allShown = shown.length > 0 && shown.every((d) => selected.has(d.serialNumber));
  const toggleAll = () => setSelected((s) => {
    const n = new Set(s);
    for (const d of shown) if (allShown) n.delete(d.serialNumber); else n.add(d.serialNumber);
    return n;
  });

  const exportCsv = async (serials?: string[]) => {
    try {
      const f = await api().invoke('dep:devices-export', { ...criteria, serials });
      downloadBase64(f.base64, f.filename, f.mimeType);
      toast({ severity: 'success', message: `Exported ${f.rows.toLocaleString()} device${f.rows === 1 ? '' : 's'} to ${f.filename}` });
    } catch (err) {
      toast({ severity: 'error', message: `Export failed: ${messageOf(err)}` });
    }
  };
  const assign = async () => {
    const profile = profiles.find((p) => p.id === target);
    if (!profile) return;
    setBusy(true);
    try {
      const r = await api().invoke('dep:assign', { profileId: profile.id, serials: [...selected] });
      toast({ severity: 'success', message: `${r.assigned} device${r.assigned === 1 ? '' : 's'} assigned to “${profile.name}”${r.unchanged ? `, ${r.unchanged} already on it` : ''}; Send now on the Profiles tab sends the change to Apple` });
      setSelected(new Set());
      setTarget('');
    } catch (err) {
      toast({ severity: 'error', message: `Assign: ${messageOf(err)}` });
    } finally {
      setBusy(false);
      load();
    }
  };

  const noDevices = rows !== null && total === 0 && scope === 'all' && !q.trim();
  return (
    <Card data-testid="dep-devices">
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', px: 2, py: 1.5, flexWrap: 'wrap', rowGap: 1 }}>
        <TextField placeholder="Search serial, model, asset tag" value={search} onChange={(e) => setSearch(e.target.value)} sx={{ maxWidth: 380 }}
          slotProps={{ input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> }, htmlInput: { 'aria-label': 'Search devices' } }} />
        <TextField select label="Show" value={scope} onChange={(e) => { onScope(e.target.value); setSelected(new Set()); }} sx={{ width: 260 }} slotProps={{ htmlInput: { 'data-testid': 'device-scope' } }}>
          <MenuItem value="all">All devices</MenuItem>
          <MenuItem value="unassigned">Without a profile</MenuItem>
          {profiles.map((p) => <MenuItem key={p.id} value={p.id}>Profile: {p.name}</MenuItem>)}
        </TextField>
        <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }} data-testid="device-total">{total.toLocaleString()} device{total === 1 ? '' : 's'}</Typography>
        <Button startIcon={<DownloadIcon />} onClick={() => void exportCsv()} disabled={total === 0}>Export to CSV</Button>
      </Stack>
      {selected.size > 0 && (
        <Stack direction="row" spacing={1.5} data-testid="dep-bulk-bar"
          sx={(t) => ({ alignItems: 'center', px: 2, py: 1, bgcolor: alpha(t.palette.primary.main, t.palette.mode === 'dark' ? 0.16 : 0.07), borderTop: 1, borderBottom: 1, borderColor: 'divider' })}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>{selected.size.toLocaleString()} selected</Typography>
          <TextField select label="Assign to profile" value={target} onChange={(e) => setTarget(e.target.value)} sx={{ width: 260 }} slotProps={{ htmlInput: { 'data-testid': 'assign-target' } }}>
            {profiles.length === 0 && <MenuItem value="" disabled>Create a profile first</MenuItem>}
            {profiles.map((p) => <MenuItem key={p.id} value={p.id}>{p.name}{p.isDefault ? ' (default)' : ''}</MenuItem>)}
          </TextField>
          <Button variant="contained" size="small" disabled={!target || busy} onClick={() => void assign()}>Assign</Button>
          <Button size="small" startIcon={<DownloadIcon />} onClick={() => void exportCsv([...selected])}>Export selected</Button>
          <Stack sx={{ flexGrow: 1 }} />
          <Button size="small" onClick={() => setSelected(new Set())}>Clear selection</Button>
        </Stack>
      )}
      <LinearProgress sx={{ height: 2, visibility: rows === null || busy ? 'visible' : 'hidden' }} />
      {error && <Alert severity="error" sx={{ m: 2 }} action={<Button color="inherit" size="small" onClick={load}>Retry</Button>}>{error}</Alert>}
      {noDevices ? (
        <EmptyState bare icon={<DevicesOtherIcon />} title="No devices synced yet" testId="devices-empty"
          steps={['In Apple Business Manager, assign devices to this MDM server.', 'On the server list, choose Device Enrollment Full Sync in the server’s actions.', 'The devices appear here; select them to assign an enrollment profile.']}>
          Devices that Apple Business Manager assigned to {server.name} show here after a sync.
        </EmptyState>
      ) : (
        <>
          <Table size="small" stickyHeader>
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox"><Checkbox size="small" checked={allShown} indeterminate={!allShown && shown.some((d) => selected.has(d.serialNumber))} onChange={toggleAll} slotProps={{ input: { 'aria-label': 'Select every device on this page' } }} /></TableCell>
                {COLUMNS.map((c) => (
                  <TableCell key={c.id} sx={{ whiteSpace: 'nowrap' }} sortDirection={sort.id === c.id ? (sort.desc ? 'desc' : 'asc') : false}>
                    <TableSortLabel active={sort.id === c.id} direction={sort.id === c.id && sort.desc ? 'desc' : 'asc'} onClick={() => setSort((s) => ({ id: c.id, desc: s.id === c.id ? !s.desc : false }))}>{c.label}</TableSortLabel>
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {shown.length === 0 && rows !== null && (
                <TableRow><TableCell colSpan={COLUMNS.length + 1}><Typography color="text.secondary" sx={{ py: 2 }}>No device matches. {q ? 'Clear the search' : 'Choose another scope'} to see more.</Typography></TableCell></TableRow>
              )}
              {shown.map((d) => (
                <TableRow key={d.serialNumber} hover selected={selected.has(d.serialNumber)} data-testid="dep-device-row" data-serial={d.serialNumber}>
                  <TableCell padding="checkbox"><Checkbox size="small" checked={selected.has(d.serialNumber)} onChange={() => toggle(d.serialNumber)} slotProps={{ input: { 'aria-label': `Select ${d.serialNumber}` } }} /></TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{d.serialNumber}</TableCell>
                  <TableCell sx={{ minWidth: 190 }}>{d.model ?? '—'}{d.description && d.description !== d.model && <Typography variant="caption" color="text.secondary" component="div">{d.description}</Typography>}</TableCell>
                  <TableCell>{d.os ?? '—'}</TableCell>
                  <TableCell>{d.profileName ?? <Typography variant="body2" color="text.secondary">None</Typography>}</TableCell>
                  <TableCell><AssignmentChip d={d} /></TableCell>
                  <TableCell>{APPLE_STATUS[d.profileStatus ?? ''] ?? d.profileStatus ?? '—'}</TableCell>
                  <TableCell>{d.assignedDate ? new Date(d.assignedDate).toLocaleDateString() : '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {total > PAGE && (
            <TablePagination component="div" count={total} page={page} rowsPerPage={PAGE} rowsPerPageOptions={[PAGE]} onPageChange={(_e, p) => setPage(p)} />
          )}
        </>
      )}
    </Card>
  );
}
