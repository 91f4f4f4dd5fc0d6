/**
 * The registration users table: search (server side), sort by header, select rows for invitations,
 * a source marker (LDAP users carry a lock: identity fields read-only), the User Portal role, and
 * pages of 50–250 rows. Clicking a row opens it for editing.
 */
import { useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import LockIcon from '@mui/icons-material/Lock';
import type { RegistrationUserOut } from '../../../../main/ipc/contract-registration';
import { formatDate } from '../../files';
import { LANGUAGE_LABELS, ROLE_LABELS } from './labels';

/** Sortable columns. */
type SortKey = 'name' | 'email' | 'source' | 'role' | 'language' | 'createdAt';

const COLUMNS: { id: SortKey; label: string; width?: number }[] = [
  { id: 'name', label: 'Name', width: 240 },
  { id: 'email', label: 'Email' },
  { id: 'source', label: 'Source', width: 110 },
  { id: 'role', label: 'User Portal role', width: 260 },
  { id: 'language', label: 'Language', width: 110 },
  { id: 'createdAt', label: 'Added', width: 130 },
];

const nameOf = (u: RegistrationUserOut): string => `${u.firstName} ${u.lastName}`.trim();

function sortValue(u: RegistrationUserOut, k: SortKey): string {
  if (k === 'name') return (`${u.lastName} ${u.firstName}`.trim() || '\uffff').toLowerCase();
  if (k === 'role') return ROLE_LABELS[u.role];
  return String(u[k]).toLowerCase();
}

/** Props: the users, the selection (by id) and its setter, and the row opener. */
export interface UsersTableProps {
  users: RegistrationUserOut[];
  selected: ReadonlySet<string>;
  onSelect: (next: Set<string>) => void;
  onOpen: (user: RegistrationUserOut) => void;
}

/** The table. */
export function UsersTable({ users, selected, onSelect, onOpen }: UsersTableProps) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'email', desc: false });
  const [page, setPage] = useState(0);
  const [perPage, setPerPage] = useState(50);
  const sorted = useMemo(() => {
    const out = [...users].sort((a, b) => sortValue(a, sort.key).localeCompare(sortValue(b, sort.key)) || a.email.localeCompare(b.email));
    return sort.desc ? out.reverse() : out;
  }, [users, sort]);
  const maxPage = Math.max(0, Math.ceil(sorted.length / perPage) - 1);
  const shown = sorted.slice(Math.min(page, maxPage) * perPage, (Math.min(page, maxPage) + 1) * perPage);
  const allShown = shown.length > 0 && shown.every((u) => selected.has(u.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  const toggleShown = () => {
    const next = new Set(selected);
    for (const u of shown) {
      if (allShown) next.delete(u.id);
      else next.add(u.id);
    }
    onSelect(next);
  };
  return (
    <>
      <TableContainer sx={{ flexGrow: 1, minHeight: 0 }}>
        <Table stickyHeader size="small" aria-label="Registration users" data-testid="users-table">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox">
                <Checkbox size="small" checked={allShown} indeterminate={!allShown && shown.some((u) => selected.has(u.id))} onChange={toggleShown} slotProps={{ input: { 'aria-label': 'Select every user on this page' } }} />
              </TableCell>
              {COLUMNS.map((c) => (
                <TableCell key={c.id} sx={{ width: c.width, fontWeight: 600 }} sortDirection={sort.key === c.id ? (sort.desc ? 'desc' : 'asc') : false}>
                  <TableSortLabel active={sort.key === c.id} direction={sort.key === c.id && sort.desc ? 'desc' : 'asc'} onClick={() => setSort((s) => ({ key: c.id, desc: s.key === c.id ? !s.desc : false }))}>
                    {c.label}
                  </TableSortLabel>
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map((u) => (
              <TableRow key={u.id} hover selected={selected.has(u.id)} data-testid="user-row" data-email={u.email} onClick={() => onOpen(u)} sx={{ cursor: 'pointer' }}>
                <TableCell padding="checkbox" onClick={(e) => e.stopPropagation()}>
                  <Checkbox size="small" checked={selected.has(u.id)} onChange={() => toggle(u.id)} slotProps={{ input: { 'aria-label': `Select ${u.email}` } }} />
                </TableCell>
                <TableCell sx={{ maxWidth: 240 }}>
                  <Typography variant="body2" noWrap title={nameOf(u)} color={nameOf(u) ? 'text.primary' : 'text.secondary'}>
                    {nameOf(u) || '—'}
                  </Typography>
                </TableCell>
                <TableCell sx={{ maxWidth: 300 }}>
                  <Typography variant="body2" noWrap title={u.email}>{u.email}</Typography>
                </TableCell>
                <TableCell>
                  {u.source === 'ldap' ? (
                    <Tooltip title={`From the LDAP directory${u.ldapDn ? `: ${u.ldapDn}` : ''} — email and names are read-only`}>
                      <Chip size="small" icon={<LockIcon />} label="LDAP" variant="outlined" color="secondary" data-testid="source-ldap" />
                    </Tooltip>
                  ) : (
                    <Chip size="small" label="Local" variant="outlined" />
                  )}
                </TableCell>
                <TableCell>
                  <Typography variant="body2" color={u.role === 'none' ? 'text.secondary' : 'text.primary'} noWrap>
                    {ROLE_LABELS[u.role]}
                  </Typography>
                </TableCell>
                <TableCell>{LANGUAGE_LABELS[u.language]}</TableCell>
                <TableCell>{formatDate(u.createdAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <Box sx={{ borderTop: 1, borderColor: 'divider' }}>
        <TablePagination
          component="div"
          count={sorted.length}
          page={Math.min(page, maxPage)}
          onPageChange={(_, p) => setPage(p)}
          rowsPerPage={perPage}
          rowsPerPageOptions={[50, 100, 250]}
          onRowsPerPageChange={(e) => { setPerPage(Number(e.target.value)); setPage(0); }}
        />
      </Box>
    </>
  );
}
