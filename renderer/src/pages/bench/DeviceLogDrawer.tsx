/**
 * The per-device log drawer: the blueprint/staging service's log lines for one device (newest
 * runs, oldest line first), refreshed every 2 s while open. Lines never hold secrets.
 */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import CloseIcon from '@mui/icons-material/Close';
import type { DeviceLogLineOut } from '../../../../main/ipc/contract-blueprints';
import { api, messageOf } from '../../api';
import { stepLabel } from './tile-progress';

/** Props: the device (null = closed), its display name, close. */
export interface DeviceLogDrawerProps {
  udid: string | null;
  name: string;
  onClose: () => void;
}

const LEVEL_COLOR = { info: 'text.secondary', warn: 'warning.main', error: 'error.main' } as const;

/** The drawer. */
export function DeviceLogDrawer({ udid, name, onClose }: DeviceLogDrawerProps) {
  const [lines, setLines] = useState<DeviceLogLineOut[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!udid) return;
    let live = true;
    const load = () =>
      api()
        .invoke('blueprints:logs', { udid, limit: 400 })
        .then((l) => live && (setLines(l), setError(null)))
        .catch((err: unknown) => live && setError(messageOf(err)));
    void load();
    const t = setInterval(() => void load(), 2000);
    return () => {
      live = false;
      clearInterval(t);
      setLines(null);
    };
  }, [udid]);

  let lastRun: string | null = null;
  return (
    <Drawer anchor="right" open={!!udid} onClose={onClose} slotProps={{ paper: { sx: { width: 560, maxWidth: '92vw' } } }}>
      <Stack data-testid="device-log-drawer" sx={{ height: '100%' }}>
        <Stack direction="row" sx={{ alignItems: 'center', px: 2.5, py: 1.75, borderBottom: 1, borderColor: 'divider' }}>
          <Box sx={{ flexGrow: 1, minWidth: 0 }}>
            <Typography variant="h6" component="h2" noWrap>
              Log — {name}
            </Typography>
            <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
              {udid}
            </Typography>
          </Box>
          <IconButton onClick={onClose} aria-label="Close the log">
            <CloseIcon />
          </IconButton>
        </Stack>
        <Box sx={{ flexGrow: 1, overflow: 'auto', px: 2.5, py: 1.5 }}>
          {error && <Alert severity="error">Cannot read the log: {error}</Alert>}
          {lines && lines.length === 0 && (
            <Typography color="text.secondary" data-testid="device-log-empty">
              Nothing logged for this device yet. Apply a blueprint or stage it: every step, retry, unplug and re-attach shows up here.
            </Typography>
          )}
          {lines?.map((l) => {
            const header = l.runId !== lastRun;
            lastRun = l.runId;
            return (
              <Box key={l.id}>
                {header && (
                  <Typography variant="overline" color="text.secondary" component="div" sx={{ mt: 1.5 }}>
                    Run {l.runId.slice(0, 8)} · {new Date(l.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
                  </Typography>
                )}
                <Stack direction="row" spacing={1} data-testid="device-log-line" data-level={l.level} sx={{ py: 0.4, alignItems: 'baseline' }}>
                  <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace', flexShrink: 0 }}>
                    {new Date(l.at).toLocaleTimeString(undefined, { hour12: false })}
                  </Typography>
                  {l.step && <Chip size="small" variant="outlined" label={stepLabel(l.step)} sx={{ height: 18, fontSize: 11, flexShrink: 0 }} />}
                  <Typography variant="body2" sx={{ color: LEVEL_COLOR[l.level], wordBreak: 'break-word' }}>
                    {l.message}
                  </Typography>
                </Stack>
              </Box>
            );
          })}
        </Box>
      </Stack>
    </Drawer>
  );
}
