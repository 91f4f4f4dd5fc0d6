/** Profiles page: builder, identities, profile list (preview/sign/export), verification. */
import { useState } from 'react';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import type { ProfileRow } from '../../../../main/app/types';
import { useIdentities, useProfiles } from '../../hooks/useProfiles';
import { IdentitiesCard } from './IdentitiesCard';
import { ProfileBuilderForm } from './ProfileBuilderForm';
import { ProfilesTable } from './ProfilesTable';
import { SignDialog } from './SignDialog';
import { VerifyCard } from './VerifyCard';
import { XmlPreviewDialog } from './XmlPreviewDialog';

/** The Profiles page. */
export function ProfilesPage() {
  const profiles = useProfiles();
  const identities = useIdentities();
  const [preview, setPreview] = useState<{ name: string; xml: string } | null>(null);
  const [signing, setSigning] = useState<ProfileRow | null>(null);

  return (
    <Stack spacing={3} data-testid="profiles-page">
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, lg: 7 }}>
          <ProfileBuilderForm
            onBuilt={() => void profiles.reload()}
            onSign={setSigning}
            onPreview={(name, xml) => setPreview({ name, xml })}
          />
        </Grid>
        <Grid size={{ xs: 12, lg: 5 }}>
          <Stack spacing={3}>
            <IdentitiesCard identities={identities} />
            <VerifyCard />
          </Stack>
        </Grid>
      </Grid>
      <ProfilesTable profiles={profiles} onPreview={(name, xml) => setPreview({ name, xml })} onSign={setSigning} />
      <XmlPreviewDialog preview={preview} onClose={() => setPreview(null)} />
      <SignDialog
        profile={signing}
        identities={identities.rows}
        onClose={() => setSigning(null)}
        onSigned={() => {
          setSigning(null);
          void profiles.reload();
        }}
      />
    </Stack>
  );
}
