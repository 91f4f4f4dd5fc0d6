/** Read-only XML preview of a profile in a dialog. */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { MONO_STACK } from '../../theme';
import { maskSecrets } from './mask-secrets';

/** Props: what to show (null = closed) and close. */
export interface XmlPreviewDialogProps {
  preview: { name: string; xml: string } | null;
  onClose: () => void;
}

/** The preview dialog. */
export function XmlPreviewDialog({ preview, onClose }: XmlPreviewDialogProps) {
  return (
    <Dialog open={!!preview} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="xml-preview-title">
      <DialogTitle id="xml-preview-title">{preview ? `${preview.name} — XML` : ''}</DialogTitle>
      <DialogContent dividers>
        <Box
          component="pre"
          data-testid="xml-preview"
          sx={{
            m: 0,
            p: 2,
            borderRadius: 1,
            bgcolor: 'action.hover',
            fontFamily: MONO_STACK,
            fontSize: 12.5,
            lineHeight: 1.55,
            whiteSpace: 'pre',
            tabSize: 2,
            overflow: 'auto',
            maxHeight: '62vh',
          }}
        >
          {preview ? maskSecrets(preview.xml) : ''}
        </Box>
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }}>
          Challenge and password values are hidden here; the exported file contains them.
        </Typography>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
