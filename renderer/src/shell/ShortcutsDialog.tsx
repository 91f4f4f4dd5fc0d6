/** The keyboard shortcuts help dialog (`?`). */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { SHORTCUT_GROUPS } from './shortcuts';

/** A key cap. */
export function Kbd({ children }: { children: string }) {
  return (
    <Box
      component="kbd"
      sx={{
        px: 0.75, py: 0.125, minWidth: 22, textAlign: 'center', borderRadius: 1, border: 1, borderColor: 'divider', borderBottomWidth: 2,
        bgcolor: 'action.hover', fontFamily: 'inherit', fontSize: 12, fontWeight: 600, lineHeight: '18px', display: 'inline-block',
      }}
    >
      {children}
    </Box>
  );
}

/** Props: open flag and close callback. */
export interface ShortcutsDialogProps {
  open: boolean;
  onClose: () => void;
}

/** Lists every shortcut by group. */
export function ShortcutsDialog({ open, onClose }: ShortcutsDialogProps) {
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="shortcuts-title">
      <DialogTitle id="shortcuts-title">Keyboard shortcuts</DialogTitle>
      <DialogContent dividers>
        <Grid container spacing={3}>
          {SHORTCUT_GROUPS.map((g) => (
            <Grid key={g.title} size={{ xs: 12, md: 4 }}>
              <Typography variant="subtitle2" sx={{ mb: 1 }}>
                {g.title}
              </Typography>
              <Stack spacing={1} data-testid="shortcut-group">
                {g.items.map((s) => (
                  <Stack key={s.action} direction="row" spacing={1} sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
                    <Typography variant="body2">{s.action}</Typography>
                    <Stack direction="row" spacing={0.5} sx={{ flexShrink: 0 }}>
                      {s.keys.map((k) => (
                        <Kbd key={k}>{k}</Kbd>
                      ))}
                    </Stack>
                  </Stack>
                ))}
              </Stack>
            </Grid>
          ))}
        </Grid>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
