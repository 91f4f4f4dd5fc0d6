/**
 * Open conflicts: a local change the tenant did not accept because its record changed (or was
 * deleted) since. Each shows both versions side by side — the fields the change touches, mine and
 * the tenant's — with "Keep mine" (send again over the tenant's version) and "Take theirs" (drop
 * mine).
 */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { SyncConflictOut } from '../../../../main/ipc/contract-sync';
import { SectionCard } from '../../components/SectionCard';
import { formatDateTime } from '../../files';

/** Props: the conflicts, ids being resolved, the resolve action. */
export interface ConflictsCardProps {
  conflicts: SyncConflictOut[];
  resolving: ReadonlySet<number>;
  onResolve: (c: SyncConflictOut, resolution: 'keep-mine' | 'take-theirs') => void;
}

const OPS: Record<SyncConflictOut['op'], string> = { retire: 'Retire', wipe: 'Wipe', update: 'Edit', create: 'Create', invite: 'Re-invite', delete: 'Delete' };

/** A value for display. */
export function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The record's display name: e-mail, device name or serial, else its id. */
function recordName(c: SyncConflictOut): string {
  const t = c.theirs ?? {};
  const pick = [t.emailAddress, t.deviceName, t.serialNumber, c.mine.payload.emailAddress].find((v) => typeof v === 'string' && v);
  return `${c.entity === 'user' ? 'User' : 'Device'} ${typeof pick === 'string' ? pick : (c.tenantId ?? c.entityId)}`;
}

/** Field rows: every field my change sets, with the tenant's value. */
function rows(c: SyncConflictOut): { field: string; mine: string; theirs: string }[] {
  const theirs = c.theirs ?? {};
  const mine = c.mine.payload;
  if (c.mine.op === 'update' && mine.attributes && typeof mine.attributes === 'object') {
    const custom = (theirs.customAttributes ?? {}) as Record<string, unknown>;
    return Object.entries(mine.attributes as Record<string, unknown>).map(([k, v]) => ({ field: k, mine: show(v), theirs: show(custom[k]) }));
  }
  const out = Object.entries(mine)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ({ field: k, mine: show(v), theirs: c.theirs ? show(theirs[k]) : 'deleted' }));
  if (out.length === 0) out.push({ field: 'action', mine: OPS[c.mine.op], theirs: c.theirs ? 'changed since your edit' : 'deleted' });
  return out;
}

/** The card. */
export function ConflictsCard({ conflicts, resolving, onResolve }: ConflictsCardProps) {
  return (
    <SectionCard
      title="Conflicts"
      testId="sync-conflict-list"
      subtitle={
        conflicts.length
          ? 'The tenant changed these records after you edited them here. Choose which version wins; nothing is overwritten until you do.'
          : 'No conflicts. If the tenant changes a record you also edited here, both versions show up here.'
      }
    >
      {conflicts.length === 0 ? (
        <Typography color="text.secondary" data-testid="sync-no-conflicts">
          Everything you changed here matches the tenant.
        </Typography>
      ) : (
        <Stack spacing={2}>
          {conflicts.map((c) => (
            <Box key={c.id} data-testid="sync-conflict" sx={{ border: 1, borderColor: 'warning.main', borderRadius: 2, p: 2 }}>
              <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1 }}>
                <Typography variant="subtitle1" sx={{ fontWeight: 600, flexGrow: 1 }}>
                  {recordName(c)}
                </Typography>
                <Chip size="small" color="warning" label={c.kind === 'deleted' ? 'Deleted on the tenant' : 'Changed on the tenant'} />
                <Chip size="small" variant="outlined" label={`${OPS[c.mine.op]} · ${formatDateTime(c.detectedAt)}`} />
              </Stack>
              <Table size="small" aria-label={`Versions of ${recordName(c)}`}>
                <TableHead>
                  <TableRow>
                    <TableCell sx={{ width: '24%' }}>Field</TableCell>
                    <TableCell>Mine (this bench)</TableCell>
                    <TableCell>Theirs (tenant{c.theirRevision ? `, revision ${c.theirRevision}` : ''})</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {rows(c).map((r) => (
                    <TableRow key={r.field}>
                      <TableCell sx={{ color: 'text.secondary' }}>{r.field}</TableCell>
                      <TableCell data-testid="conflict-mine" sx={{ fontWeight: 600 }}>
                        {r.mine}
                      </TableCell>
                      <TableCell data-testid="conflict-theirs">{r.theirs}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              <Stack direction="row" spacing={1} sx={{ mt: 1.5, justifyContent: 'flex-end' }}>
                <Button variant="outlined" disabled={resolving.has(c.id)} onClick={() => onResolve(c, 'take-theirs')}>
                  Take theirs
                </Button>
                <Button variant="contained" disabled={resolving.has(c.id) || (c.kind === 'deleted' && c.entity === 'device')} onClick={() => onResolve(c, 'keep-mine')}>
                  Keep mine
                </Button>
              </Stack>
            </Box>
          ))}
        </Stack>
      )}
    </SectionCard>
  );
}
