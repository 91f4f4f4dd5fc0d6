/** Shown when no device is attached: what to do, and how to check usbmuxd. */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import RefreshIcon from '@mui/icons-material/Refresh';
import UsbIcon from '@mui/icons-material/Usb';

/** Props: usbmuxd address (when known), listing error (usbmuxd unreachable), refresh action. */
export interface EmptyBenchProps {
  usbmuxdAddress: string | null;
  error: string | null;
  onRefresh: () => void;
}

/** Empty state of the Bench page. */
export function EmptyBench({ usbmuxdAddress, error, onRefresh }: EmptyBenchProps) {
  return (
    <Card data-testid="bench-empty" sx={{ py: 6, px: 3 }}>
      <Stack spacing={2} sx={{ alignItems: 'center', textAlign: 'center', maxWidth: 620, mx: 'auto' }}>
        <Box sx={{ width: 72, height: 72, borderRadius: '50%', display: 'grid', placeItems: 'center', bgcolor: 'action.hover' }}>
          <UsbIcon sx={{ fontSize: 36 }} color="primary" />
        </Box>
        <Typography variant="h6" component="h2">
          No devices connected
        </Typography>
        <Typography color="text.secondary">
          Connect an iPhone, iPad or Apple TV to this workstation with a USB cable and unlock it. Devices appear here as soon as
          usbmuxd reports them — no need to refresh.
        </Typography>
        {error ? (
          <Alert severity="error" sx={{ textAlign: 'left', width: '100%' }}>
            Cannot list devices: {error}
          </Alert>
        ) : null}
        <Typography variant="body2" color="text.secondary">
          Device still missing? Check that usbmuxd is running (<code>systemctl status usbmuxd</code>)
          {usbmuxdAddress ? (
            <>
              {' '}
              and listening at <code>{usbmuxdAddress}</code>
            </>
          ) : null}
          , that the cable carries data, and that the device shows the Trust prompt.
        </Typography>
        <Button variant="outlined" startIcon={<RefreshIcon />} onClick={onRefresh}>
          Check again
        </Button>
      </Stack>
    </Card>
  );
}
