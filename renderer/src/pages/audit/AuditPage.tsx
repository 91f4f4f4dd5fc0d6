/** Audit page: the append-only audit trail in a virtualized, read-only table with filters and CSV export. */
import Stack from '@mui/material/Stack';
import PolicyIcon from '@mui/icons-material/Policy';
import { EmptyState } from '../../components/EmptyState';
import type { PageId } from '../../shell/nav';
import { DataTable } from '../../table/DataTable';

/** Props: navigation (for the empty state). */
export interface AuditPageProps {
  onNavigate: (page: PageId) => void;
}

/** The Audit page. */
export function AuditPage({ onNavigate }: AuditPageProps) {
  return (
    <Stack spacing={2} sx={{ flexGrow: 1, minHeight: 0 }} data-testid="audit-page">
      <DataTable
        table="audit"
        noun="events"
        emptyState={
          <EmptyState bare icon={<PolicyIcon />} title="Nothing audited yet" primary={{ label: 'Import a signing identity', onClick: () => onNavigate('profiles') }}>
            Every action taken at this workstation — identity imports, profile builds and signatures, pairing, staging, device
            lifecycle changes — is recorded here with who did it, when and the outcome. The trail cannot be edited.
          </EmptyState>
        }
      />
    </Stack>
  );
}
