/**
 * The issued invitations, shown once right after inviting or resending: each user's one-time
 * registration PIN, the registration URL with its QR code, the mirp:// launch link with its QR
 * code (iOS with a PIN), and what the user enters in the app. "Print invitation sheets" prints
 * them to one PDF (a page per user) and downloads it. Closing drops the PINs from memory: they
 * cannot be shown again (resend issues a new one).
 */
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import PrintIcon from '@mui/icons-material/Print';
import type { IssuedInvitationOut } from '../../../../main/ipc/contract-registration';
import { api, messageOf } from '../../api';
import { useToast } from '../../components/Toasts';
import { downloadBase64, formatDateTime } from '../../files';
import { MONO_STACK } from '../../theme';

/** Props: the issued invitations (null = closed), whether they come from a resend, and close. */
export interface IssuedDialogProps {
  issued: IssuedInvitationOut[] | null;
  resent?: boolean;
  onClose: () => void;
}

function Copy({ text, label }: { text: string; label: string }) {
  const toast = useToast();
  return (
    <Tooltip title={`Copy ${label}`}>
      <IconButton size="small" aria-label={`Copy ${label}`} onClick={() => void navigator.clipboard?.writeText(text).then(() => toast({ severity: 'info', message: `${label} copied` }), () => undefined)}>
        <ContentCopyIcon fontSize="inherit" />
      </IconButton>
    </Tooltip>
  );
}

function Qr({ src, label, caption }: { src: string; label: string; caption: string }) {
  return (
    <Stack spacing={0.5} sx={{ alignItems: 'center' }}>
      <Box component="img" src={src} alt={label} data-testid="invitation-qr" sx={{ width: 148, height: 148, bgcolor: '#fff', borderRadius: 1, border: 1, borderColor: 'divider' }} />
      <Typography variant="caption" color="text.secondary">{caption}</Typography>
    </Stack>
  );
}

function IssuedCard({ inv }: { inv: IssuedInvitationOut }) {
  return (
    <Card variant="outlined" data-testid="issued-invitation" data-email={inv.email} sx={{ p: 2 }}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2.5}>
        <Stack spacing={1.25} sx={{ flexGrow: 1, minWidth: 0 }}>
          <Typography variant="subtitle1" sx={{ fontWeight: 600, wordBreak: 'break-all' }}>{inv.email}</Typography>
          {inv.pin ? (
            <Box>
              <Typography variant="caption" color="text.secondary">Registration PIN (one time)</Typography>
              <Typography data-testid="issued-pin" sx={{ fontFamily: MONO_STACK, fontSize: 28, fontWeight: 700, letterSpacing: '0.18em', lineHeight: 1.2 }}>
                {inv.pin}
              </Typography>
              <Typography variant="caption" color="text.secondary">Expires {formatDateTime(inv.pinExpiresAt)}</Typography>
            </Box>
          ) : (
            <Typography variant="body2" color="text.secondary">No registration PIN: the user signs in with their password.</Typography>
          )}
          <Box>
            <Typography variant="caption" color="text.secondary">Registration URL</Typography>
            <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
              <Typography variant="body2" data-testid="issued-url" sx={{ fontFamily: MONO_STACK, wordBreak: 'break-all' }}>{inv.registrationUrl}</Typography>
              <Copy text={inv.registrationUrl} label="registration URL" />
            </Stack>
          </Box>
          <Box>
            <Typography variant="caption" color="text.secondary">In Mobile@Work / Go the user enters</Typography>
            <Typography variant="body2" sx={{ fontFamily: MONO_STACK }}>{inv.serverEntry || '—'}</Typography>
          </Box>
        </Stack>
        <Stack direction="row" spacing={2} sx={{ flexShrink: 0 }}>
          <Qr src={inv.registrationQr} label={`QR code of the registration URL for ${inv.email}`} caption="Registration URL" />
          {inv.mirpQr && <Qr src={inv.mirpQr} label={`QR code of the app launch link for ${inv.email}`} caption="Open in the app (mirp://)" />}
        </Stack>
      </Stack>
    </Card>
  );
}

/** The issued-invitations dialog. */
export function IssuedDialog({ issued, resent, onClose }: IssuedDialogProps) {
  const toast = useToast();
  const [printing, setPrinting] = useState(false);
  const print = async () => {
    if (!issued) return;
    setPrinting(true);
    try {
      const f = await api().invoke('invitations:sheets-pdf', { sheets: issued.map((i) => ({ html: i.html, language: i.language })) });
      downloadBase64(f.base64, f.filename, f.mimeType);
      toast({ severity: 'success', message: `${f.sheets} invitation ${f.sheets === 1 ? 'sheet' : 'sheets'} saved as ${f.filename}` });
    } catch (err) {
      toast({ severity: 'error', message: `Printing failed: ${messageOf(err)}`, action: { label: 'Retry', run: () => void print() } });
    } finally {
      setPrinting(false);
    }
  };
  const n = issued?.length ?? 0;
  const withPin = issued?.some((i) => i.pin) ?? false;
  return (
    <Dialog open={!!issued} fullWidth maxWidth="md" aria-labelledby="issued-title" scroll="paper">
      <DialogTitle id="issued-title">{resent ? 'Invitation resent' : n === 1 ? 'Invitation sent' : `${n} invitations sent`}</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          {withPin && (
            <Alert severity="warning" data-testid="pin-once-warning">
              The registration PINs are shown only now. Print the invitation sheets or note the PINs before you close this window — afterwards only a resend (with a new PIN) can help.
            </Alert>
          )}
          {issued?.map((inv) => <IssuedCard key={inv.id} inv={inv} />)}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button startIcon={<PrintIcon />} onClick={() => void print()} disabled={printing}>
          {printing ? 'Printing…' : 'Print invitation sheets'}
        </Button>
        <Button variant="contained" onClick={onClose}>
          {withPin ? 'Done — hide the PINs' : 'Done'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
