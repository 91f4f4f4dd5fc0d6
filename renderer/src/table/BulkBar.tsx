/**
 * The bar shown while rows are selected: how many, the table's bulk actions (destructive ones
 * confirmed first), export of the selection, and clear.
 */
import { useState } from 'react';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import CloseIcon from '@mui/icons-material/Close';
import DownloadIcon from '@mui/icons-material/Download';
import type { TableAction } from '../../../main/ipc/tables/types';

/** Props: selected count, actions, callbacks, busy flag, noun for texts ("devices"). */
export interface BulkBarProps {
  count: number;
  actions: TableAction[];
  busy: boolean;
  noun: string;
  onAction: (action: TableAction) => void;
  onExport: () => void;
  onClear: () => void;
}

/** The selection bar. */
export function BulkBar({ count, actions, busy, noun, onAction, onExport, onClear }: BulkBarProps) {
  const [confirm, setConfirm] = useState<TableAction | null>(null);
  return (
    <Stack
      direction="row"
      spacing={1}
      data-testid="bulk-bar"
      sx={(t) => ({ alignItems: 'center', px: 2, py: 1, bgcolor: alpha(t.palette.primary.main, t.palette.mode === 'dark' ? 0.16 : 0.07), borderTop: 1, borderBottom: 1, borderColor: 'divider' })}
    >
      <Typography variant="body2" sx={{ fontWeight: 600, mr: 1 }}>
        {count.toLocaleString()} selected
      </Typography>
      {actions.map((a) => (
        <Button key={a.id} size="small" variant="outlined" color={a.destructive ? 'error' : 'primary'} disabled={busy} onClick={() => (a.destructive ? setConfirm(a) : onAction(a))}>
          {a.label}
        </Button>
      ))}
      <Button size="small" startIcon={<DownloadIcon />} disabled={busy} onClick={onExport}>
        Export selected
      </Button>
      <Stack sx={{ flexGrow: 1 }} />
      <Button size="small" startIcon={<CloseIcon />} onClick={onClear}>
        Clear selection
      </Button>
      <Dialog open={!!confirm} onClose={() => setConfirm(null)} aria-labelledby="bulk-confirm-title">
        <DialogTitle id="bulk-confirm-title">
          {confirm?.label} {count.toLocaleString()} {noun}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>{confirm?.description}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(null)}>Cancel</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              if (confirm) onAction(confirm);
              setConfirm(null);
            }}
          >
            {confirm?.label}
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
