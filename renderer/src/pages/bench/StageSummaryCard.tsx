/** Outcome of the last staging run: totals, per-device result and duration. */
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Button from '@mui/material/Button';
import type { DeviceRow, StageSummary } from '../../../../main/app/types';
import { SectionCard } from '../../components/SectionCard';
import { formatDateTime } from '../../files';
import { STEP_LABELS } from './steps';

/** Props: the summary, devices seen by UDID (for names), and dismiss. */
export interface StageSummaryCardProps {
  summary: StageSummary;
  devices: Record<string, DeviceRow>;
  onDismiss: () => void;
}

function seconds(a: string, b: string): string {
  const ms = new Date(b).getTime() - new Date(a).getTime();
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '—';
}

/** The run summary card. */
export function StageSummaryCard({ summary, devices, onDismiss }: StageSummaryCardProps) {
  const total = summary.devices.length;
  const allOk = summary.failed === 0;
  const cancelled = summary.devices.filter((d) => d.error?.includes('cancelled by the operator')).length;
  const nameOf = (udid: string) => devices[udid]?.deviceName ?? udid;
  return (
    <SectionCard
      title="Last staging run"
      subtitle={`Finished ${formatDateTime(summary.finishedAt)} · took ${seconds(summary.startedAt, summary.finishedAt)}`}
      testId="stage-summary"
      actions={<Button onClick={onDismiss}>Dismiss</Button>}
    >
      <Alert severity={allOk ? 'success' : summary.succeeded > 0 || cancelled ? 'warning' : 'error'} sx={{ mb: 2 }}>
        <AlertTitle>
          {allOk
            ? `All ${total} device${total === 1 ? '' : 's'} staged`
            : cancelled
              ? `Cancelled: ${summary.succeeded} of ${total} devices staged, ${cancelled} stopped${summary.failed > cancelled ? `, ${summary.failed - cancelled} failed` : ''}`
              : `${summary.succeeded} of ${total} devices staged, ${summary.failed} failed`}
        </AlertTitle>
        {allOk
          ? 'Each device has its profiles installed and listed. Devices will enroll as soon as they reach the MDM server.'
          : cancelled
            ? 'Stopped devices kept the steps they finished; stage them again to complete them.'
            : 'Fix the cause shown for each failed device and stage it again; staged devices are not affected.'}
      </Alert>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Device</TableCell>
            <TableCell>Result</TableCell>
            <TableCell>Details</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {summary.devices.map((d) => (
            <TableRow key={d.udid} data-testid="summary-row" data-udid={d.udid}>
              <TableCell>{nameOf(d.udid)}</TableCell>
              <TableCell>
                <Chip
                  size="small"
                  color={d.ok ? 'success' : d.error?.includes('cancelled by the operator') ? 'warning' : 'error'}
                  label={d.ok ? 'Staged' : d.error?.includes('cancelled by the operator') ? 'Stopped' : 'Failed'}
                />
              </TableCell>
              <TableCell sx={{ color: d.ok ? 'text.secondary' : 'error.main' }}>
                {d.ok
                  ? STEP_LABELS.filter(({ step }) => d.steps[step] === 'skipped')
                      .map(({ label }) => `${label} skipped`)
                      .join(', ') || 'All steps done'
                  : d.error}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </SectionCard>
  );
}
