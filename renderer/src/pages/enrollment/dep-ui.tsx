/** Shared bits of the Enrollment pages: status chips, token-expiry chips, error codes. */
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import type { DepProfileSummaryOut, DepServerOut } from '../../../../main/ipc/contract-dep';
import { formatDate } from '../../files';

/** True when a rejected call carried `code` (the bridge appends `[CODE]` to the message). */
export function hasCode(err: unknown, code: string): boolean {
  return err instanceof Error && err.message.endsWith(`[${code}]`);
}

/** "Token Expires" cell: the date with a warning chip 30 / 7 / 1 day ahead (or expired). */
export function TokenExpiryChip({ server }: { server: DepServerOut }) {
  if (!server.hasToken || !server.tokenExpires) {
    return <Chip size="small" color="warning" variant="outlined" label="No token yet" data-testid="token-chip" />;
  }
  const w = server.tokenWarning;
  const date = formatDate(server.tokenExpires);
  if (!w || w.level === 'none') return <span data-testid="token-chip">{date}</span>;
  const label = w.level === 'expired' ? `Expired ${date}` : w.level === '1-day' ? `${date} · < 1 day` : `${date} · ${w.daysLeft + 1} days`;
  return (
    <Tooltip title={w.message}>
      <Chip size="small" color={w.level === '30-days' ? 'warning' : 'error'} label={label} data-testid="token-chip" data-level={w.level} />
    </Tooltip>
  );
}

const SYNC_COLORS = { draft: 'default', pending: 'warning', synced: 'success', error: 'error' } as const;
const SYNC_LABELS = { draft: 'Draft', pending: 'Pending send', synced: 'Synced', error: 'Error' } as const;

/** A profile's sync state chip (draft / pending / synced / error, with Apple's error as tooltip). */
export function SyncStateChip({ profile }: { profile: Pick<DepProfileSummaryOut, 'syncState' | 'lastError' | 'pendingSends'> }) {
  const chip = (
    <Chip
      size="small"
      variant={profile.syncState === 'synced' ? 'outlined' : 'filled'}
      color={SYNC_COLORS[profile.syncState]}
      label={profile.syncState === 'pending' && profile.pendingSends > 1 ? `${SYNC_LABELS.pending} (${profile.pendingSends})` : SYNC_LABELS[profile.syncState]}
      data-testid="sync-chip"
      data-state={profile.syncState}
    />
  );
  return profile.lastError ? <Tooltip title={profile.lastError}>{chip}</Tooltip> : chip;
}
