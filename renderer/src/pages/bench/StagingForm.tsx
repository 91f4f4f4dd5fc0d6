/** Staging settings: Wi-Fi network to join, the signed enrollment profile, and the Stage action. */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import type { ChannelInput, WifiInput } from '../../../../main/ipc/contract';
import { WIFI_ENCRYPTIONS } from '../../../../main/ipc/values';
import { PasswordField } from '../../components/PasswordField';
import { SectionCard } from '../../components/SectionCard';
import { useProfiles } from '../../hooks/useProfiles';

/** Props: number of attached devices, whether a run is going, the stage callback, navigation. */
export interface StagingFormProps {
  deviceCount: number;
  running: boolean;
  onStage: (input: ChannelInput<'stage:run'>) => void;
  onOpenProfiles: () => void;
}

/** The staging form. Validates locally only what the operator must fix before starting. */
export function StagingForm({ deviceCount, running, onStage, onOpenProfiles }: StagingFormProps) {
  const profiles = useProfiles();
  const signed = profiles.rows.filter((p) => p.signed);
  const [useWifi, setUseWifi] = useState(true);
  const [wifi, setWifi] = useState<WifiInput>({ ssid: '', password: '', encryption: 'WPA2' });
  const [profileId, setProfileId] = useState('');
  const [touched, setTouched] = useState(false);

  useEffect(() => {
    if (!profileId && signed.length > 0) setProfileId(signed[0].id);
  }, [profileId, signed]);

  const ssidError = useWifi && touched && !wifi.ssid.trim() ? 'Enter the network name, or turn Wi-Fi off' : null;
  const passwordError =
    useWifi && touched && wifi.encryption !== 'None' && !wifi.password ? `A password is required for ${wifi.encryption}` : null;
  const profileError = touched && !profileId ? 'Choose the enrollment profile to install' : null;

  const submit = () => {
    setTouched(true);
    if (!profileId) return;
    if (useWifi && (!wifi.ssid.trim() || (wifi.encryption !== 'None' && !wifi.password))) return;
    onStage({ wifi: useWifi ? { ...wifi, ssid: wifi.ssid.trim() } : null, enrollmentProfileId: profileId });
  };

  return (
    <SectionCard
      title="Staging settings"
      subtitle="Every attached device is paired, joined to Wi-Fi and given the enrollment profile."
      testId="staging-form"
      actions={
        <Button
          variant="contained"
          size="large"
          startIcon={<PlayArrowIcon />}
          disabled={running || deviceCount === 0}
          onClick={submit}
        >
          {running ? 'Staging…' : deviceCount === 0 ? 'Stage devices' : deviceCount === 1 ? 'Stage 1 device' : `Stage ${deviceCount} devices`}
        </Button>
      }
    >
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 12, lg: 12 }}>
          <FormControlLabel
            control={<Switch checked={useWifi} onChange={(e) => setUseWifi(e.target.checked)} />}
            label="Join a Wi-Fi network (needed for enrollment without cellular data, and for Apple TV)"
          />
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <TextField
            label="Wi-Fi network (SSID)"
            name="wifi-ssid"
            value={wifi.ssid}
            disabled={!useWifi || running}
            onChange={(e) => setWifi({ ...wifi, ssid: e.target.value })}
            error={!!ssidError}
            helperText={ssidError ?? ' '}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <PasswordField
            label="Wi-Fi password"
            name="wifi-password"
            value={wifi.password}
            disabled={!useWifi || running || wifi.encryption === 'None'}
            onChange={(e) => setWifi({ ...wifi, password: e.target.value })}
            error={!!passwordError}
            helperText={passwordError ?? ' '}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <TextField
            select
            label="Security"
            name="wifi-encryption"
            value={wifi.encryption}
            disabled={!useWifi || running}
            onChange={(e) => setWifi({ ...wifi, encryption: e.target.value as WifiInput['encryption'] })}
            helperText=" "
          >
            {WIFI_ENCRYPTIONS.map((e) => (
              <MenuItem key={e} value={e}>
                {e === 'Any' ? 'Any (automatic)' : e === 'None' ? 'None (open network)' : e}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid size={12}>
          {signed.length === 0 && !profiles.loading ? (
            <Alert
              severity="info"
              action={
                <Button color="inherit" size="small" onClick={onOpenProfiles}>
                  Open Profiles
                </Button>
              }
            >
              No signed enrollment profile yet. Build one and sign it with an imported identity on the Profiles page.
            </Alert>
          ) : (
            <TextField
              select
              label="Enrollment profile"
              name="enrollment-profile"
              value={signed.some((p) => p.id === profileId) ? profileId : ''}
              disabled={running}
              onChange={(e) => setProfileId(e.target.value)}
              error={!!profileError}
              helperText={profileError ?? 'Signed profiles from the cache'}
            >
              {signed.map((p) => (
                <MenuItem key={p.id} value={p.id}>
                  {p.name} — {p.payloadIdentifier}
                </MenuItem>
              ))}
            </TextField>
          )}
          {profiles.error && <Alert severity="error">{profiles.error}</Alert>}
        </Grid>
      </Grid>
    </SectionCard>
  );
}
