/**
 * Enrollment-profile builder: general settings, MDM, SCEP, trust anchors, optional Wi-Fi, expiry,
 * target OS. Validation issues from the service appear inline on the fields they name.
 */
import { useState, type ChangeEvent, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import BuildIcon from '@mui/icons-material/Build';
import DrawIcon from '@mui/icons-material/Draw';
import PreviewIcon from '@mui/icons-material/Preview';
import type { ProfileRow } from '../../../../main/app/types';
import type { BuildResult } from '../../../../main/ipc/contract';
import { PROFILE_TARGETS, SCEP_KEY_SIZES, WIFI_ENCRYPTIONS } from '../../../../main/ipc/values';
import { api, messageOf } from '../../api';
import { FilePicker } from '../../components/FilePicker';
import { PasswordField } from '../../components/PasswordField';
import { SectionCard } from '../../components/SectionCard';
import { fileToBase64 } from '../../files';
import { splitIssues, type FieldId } from './issue-fields';
import { EMPTY_PROFILE_FORM, toProfileSpec, type ProfileFormState } from './profile-form';

const TARGET_LABEL: Record<(typeof PROFILE_TARGETS)[number], string> = { ios: 'iOS / iPadOS', macos: 'macOS', tvos: 'tvOS' };

function Legend({ children }: { children: ReactNode }) {
  return (
    <Typography variant="overline" color="text.secondary" component="h3" sx={{ display: 'block', lineHeight: 2, mt: 1.5, mb: 1.25, fontWeight: 600 }}>
      {children}
    </Typography>
  );
}

/** Props: called after a successful build (to reload lists), sign and preview actions. */
export interface ProfileBuilderFormProps {
  onBuilt: (profile: ProfileRow) => void;
  onSign: (profile: ProfileRow) => void;
  onPreview: (name: string, xml: string) => void;
}

/** The builder card. */
export function ProfileBuilderForm({ onBuilt, onSign, onPreview }: ProfileBuilderFormProps) {
  const [form, setForm] = useState<ProfileFormState>(EMPTY_PROFILE_FORM);
  const [result, setResult] = useState<BuildResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [anchorError, setAnchorError] = useState<string | null>(null);

  const { byField, general } = splitIssues(result?.issues ?? []);
  const set = <K extends keyof ProfileFormState>(key: K, value: ProfileFormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  /** Common props of a text field bound to a form key and a field id for issues. */
  const bind = (key: keyof ProfileFormState & string, field: FieldId, hint = ' ') => ({
    name: field,
    value: String(form[key]),
    onChange: (e: ChangeEvent<HTMLInputElement>) => set(key, e.target.value as never),
    error: !!byField[field]?.error,
    helperText: byField[field]?.text ?? hint,
    disabled: busy,
  });

  const build = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await api().invoke('profiles:build', toProfileSpec(form));
      setResult(res);
      if (res.profile) onBuilt(res.profile);
    } catch (err) {
      setResult(null);
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const addAnchors = async (files: File[]) => {
    setAnchorError(null);
    try {
      const read = await Promise.all(files.map(async (f) => ({ filename: f.name, base64: await fileToBase64(f) })));
      setForm((f) => ({ ...f, anchors: [...f.anchors.filter((a) => !read.some((r) => r.filename === a.filename)), ...read] }));
    } catch (err) {
      setAnchorError(`Could not read the file: ${messageOf(err)}`);
    }
  };

  const errorCount = result?.issues.filter((i) => i.severity === 'error').length ?? 0;

  return (
    <SectionCard
      title="Build an enrollment profile"
      subtitle="MDM enrollment with a SCEP identity, optional trust anchors and Wi-Fi."
      testId="profile-builder"
    >
      <Box component="form" noValidate onSubmit={(e) => { e.preventDefault(); void build(); }}>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {error}
          </Alert>
        )}
        {result && errorCount > 0 && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="build-errors">
            <AlertTitle>{errorCount === 1 ? '1 problem to fix' : `${errorCount} problems to fix`}</AlertTitle>
            The fields below show what is wrong.
            {general.length > 0 && (
              <Box component="ul" sx={{ m: 0, mt: 1, pl: 2.5 }}>
                {general.map((i, n) => (
                  <li key={n}>
                    <strong>{[i.payloadType === 'Configuration' ? null : i.payloadType, i.key].filter(Boolean).join(' · ') || 'Profile'}</strong>: {i.message}
                  </li>
                ))}
              </Box>
            )}
          </Alert>
        )}

        <Legend>General</Legend>
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 6 }}>
            <TextField label="Profile name" required placeholder="Acme enrollment" {...bind('name', 'name', 'Shown on the device')} />
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <TextField label="Identifier" required placeholder="com.acme.mdm.enroll" {...bind('identifier', 'identifier', 'Reverse-DNS PayloadIdentifier')} />
          </Grid>
          <Grid size={{ xs: 12, xl: 6 }}>
            <TextField label="Organization" placeholder="Acme Inc." {...bind('organization', 'organization')} />
          </Grid>
          <Grid size={{ xs: 6, xl: 3 }}>
            <TextField select label="Target OS" {...bind('os', 'target')} onChange={(e) => set('os', e.target.value as ProfileFormState['os'])}>
              {PROFILE_TARGETS.map((t) => (
                <MenuItem key={t} value={t}>
                  {TARGET_LABEL[t]}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          <Grid size={{ xs: 6, xl: 3 }}>
            <TextField label="Expires" type="date" {...bind('expiry', 'expiry', 'Optional removal date')} slotProps={{ inputLabel: { shrink: true } }} />
          </Grid>
        </Grid>

        <Legend>MDM server</Legend>
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 6 }}>
            <TextField label="Server URL" required placeholder="https://mdm.example.com/mdm" {...bind('serverUrl', 'mdm.serverUrl')} />
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <TextField label="Check-in URL" placeholder="https://mdm.example.com/checkin" {...bind('checkInUrl', 'mdm.checkInUrl', 'Optional')} />
          </Grid>
          <Grid size={12}>
            <TextField label="Push topic" required placeholder="com.apple.mgmt.External.…" {...bind('topic', 'mdm.topic', 'UID of the APNs push certificate')} />
          </Grid>
        </Grid>

        <Legend>SCEP identity</Legend>
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 8 }}>
            <TextField label="SCEP URL" required placeholder="https://mdm.example.com/scep" {...bind('scepUrl', 'scep.url')} />
          </Grid>
          <Grid size={{ xs: 12, md: 4 }}>
            <TextField select label="Key size" {...bind('keysize', 'scep.keySize')} onChange={(e) => set('keysize', Number(e.target.value) as ProfileFormState['keysize'])}>
              {SCEP_KEY_SIZES.map((k) => (
                <MenuItem key={k} value={String(k)}>
                  {k} bits
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <PasswordField label="Challenge" {...bind('challenge', 'scep.challenge', 'Pre-shared secret of the SCEP server')} />
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <TextField label="Subject" placeholder="/O=Acme/CN=%SerialNumber%" {...bind('subject', 'scep.subject')} />
          </Grid>
        </Grid>

        <Legend>Trust anchors</Legend>
        <Stack spacing={1}>
          <FilePicker
            label="Add certificates"
            name="anchors"
            accept=".cer,.crt,.pem,.der"
            multiple
            fileNames={[]}
            placeholder={form.anchors.length ? `${form.anchors.length} certificate(s)` : 'Root or intermediate CA certificates (DER or PEM)'}
            onFiles={(files) => void addAnchors(files)}
            error={anchorError ?? (byField.anchors?.error ? byField.anchors.text : null)}
          />
          {form.anchors.length > 0 && (
            <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1 }}>
              {form.anchors.map((a) => (
                <Chip key={a.filename} label={a.filename} onDelete={() => set('anchors', form.anchors.filter((x) => x.filename !== a.filename))} />
              ))}
            </Stack>
          )}
        </Stack>

        <Legend>Wi-Fi</Legend>
        <FormControlLabel
          control={<Switch checked={form.wifiEnabled} onChange={(e) => set('wifiEnabled', e.target.checked)} name="wifi-enabled" />}
          label="Include a Wi-Fi network in the profile"
        />
        <Collapse in={form.wifiEnabled} unmountOnExit>
          <Grid container spacing={2} sx={{ mt: 0.5 }}>
            <Grid size={{ xs: 12, md: 5 }}>
              <TextField label="SSID" {...bind('ssid', 'wifi.ssid')} />
            </Grid>
            <Grid size={{ xs: 12, md: 4 }}>
              <PasswordField label="Password" {...bind('wifiPassword', 'wifi.password')} />
            </Grid>
            <Grid size={{ xs: 12, md: 3 }}>
              <TextField select label="Security" {...bind('encryption', 'wifi.encryption')} onChange={(e) => set('encryption', e.target.value as ProfileFormState['encryption'])}>
                {WIFI_ENCRYPTIONS.map((e) => (
                  <MenuItem key={e} value={e}>
                    {e}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
          </Grid>
        </Collapse>

        <Stack direction="row" spacing={1.5} sx={{ mt: 2.5, alignItems: 'center' }}>
          <Button type="submit" variant="contained" startIcon={<BuildIcon />} disabled={busy}>
            {busy ? 'Building…' : 'Validate and build'}
          </Button>
          <Button onClick={() => { setForm(EMPTY_PROFILE_FORM); setResult(null); setError(null); }} disabled={busy}>
            Clear
          </Button>
        </Stack>

        {result?.profile && (
          <Alert severity={result.issues.length ? 'warning' : 'success'} sx={{ mt: 2.5 }} data-testid="build-success">
            <AlertTitle>“{result.profile.name}” built and saved</AlertTitle>
            {result.issues.length
              ? `${result.issues.length} warning(s): ${result.issues.map((i) => i.message).join(' · ')}`
              : 'Sign it with an imported identity before staging.'}
            <Stack direction="row" spacing={1} sx={{ mt: 1.5 }}>
              <Button size="small" variant="contained" color="success" startIcon={<DrawIcon />} onClick={() => onSign(result.profile!)}>
                Sign…
              </Button>
              <Button size="small" color="inherit" startIcon={<PreviewIcon />} onClick={() => onPreview(result.profile!.name, result.xml)}>
                Preview XML
              </Button>
            </Stack>
          </Alert>
        )}
      </Box>
    </SectionCard>
  );
}
