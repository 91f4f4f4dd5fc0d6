/** The outbox: local changes waiting for the tenant, in the order they will be sent. */
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { OutboxEntryOut } from '../../../../main/ipc/contract-sync';
import { SectionCard } from '../../components/SectionCard';
import { formatDateTime } from '../../files';
import { show } from './ConflictsCard';

/** Props: the entries. */
export interface OutboxCardProps {
  entries: OutboxEntryOut[];
}

const STATE: Record<OutboxEntryOut['state'], { label: string; color: 'default' | 'info' | 'warning' | 'error' }> = {
  pending: { label: 'Waiting', color: 'default' },
  sending: { label: 'Sending', color: 'info' },
  conflict: { label: 'Conflict', color: 'warning' },
  failed: { label: 'Rejected', color: 'error' },
};

function describe(e: OutboxEntryOut): string {
  const p = e.payload;
  if (e.op === 'update') return Object.entries((p.attributes as Record<string, unknown> | undefined) ?? p).map(([k, v]) => `${k} → ${show(v)}`).join(', ');
  if (e.op === 'create') return show(p.emailAddress);
  return show(p.note);
}

/** The card. */
export function OutboxCard({ entries }: OutboxCardProps) {
  return (
    <SectionCard
      title="Outbox"
      testId="sync-outbox"
      subtitle={entries.length ? `${entries.length} change${entries.length === 1 ? '' : 's'} made here, sent in this order` : undefined}
    >
      {entries.length === 0 ? (
        <Typography color="text.secondary" data-testid="sync-outbox-empty">
          Nothing waiting. Changes you make offline (retire, wipe, user edits) queue here and are sent on the next sync.
        </Typography>
      ) : (
        <Table size="small" aria-label="Outbox">
          <TableHead>
            <TableRow>
              <TableCell>#</TableCell>
              <TableCell>Record</TableCell>
              <TableCell>Change</TableCell>
              <TableCell>Details</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Made</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.map((e) => (
              <TableRow key={e.seq} data-testid="outbox-row">
                <TableCell>{e.seq}</TableCell>
                <TableCell>
                  {e.entity} {e.entityId}
                </TableCell>
                <TableCell>{e.op}</TableCell>
                <TableCell sx={{ maxWidth: 360, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={e.lastError ?? undefined}>
                  {describe(e)}
                  {e.lastError ? ` — ${e.lastError}` : ''}
                </TableCell>
                <TableCell>
                  <Chip size="small" color={STATE[e.state].color} label={STATE[e.state].label} />
                </TableCell>
                <TableCell>
                  {formatDateTime(e.createdAt)} · {e.actor}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </SectionCard>
  );
}
