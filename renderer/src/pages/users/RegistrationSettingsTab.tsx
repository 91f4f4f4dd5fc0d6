/**
 * Registration settings (Ivanti: Settings > Users & Devices > Device Registration): tenant server
 * and registration URL, registration PIN length and lifetime, In-App and Apple Web-based
 * Registration Requirements, silent in-app registration and its time limit, SAML, the email when
 * the MDM profile is not installed, and Server Name Lookup with what the invitation asks the user
 * to enter. The service validates; its message shows under the field it names.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { RegistrationSettingsView } from '../../../../main/ipc/contract-registration';
import { emailDomain } from '../../../../main/registration/links';
import type { Language, RegistrationRequirement, RegistrationSettings, RegistrationUrlStyle } from '../../../../main/registration/types';
import { api } from '../../api';
import { SectionCard } from '../../components/SectionCard';
import { useToast } from '../../components/Toasts';
import { MONO_STACK } from '../../theme';
import { fieldError, type FieldError } from './field-errors';
import { LANGUAGE_LABELS, REQUIREMENT_OPTIONS } from './labels';

/** Props: the settings view and its setter (after a save). */
export interface RegistrationSettingsTabProps {
  view: RegistrationSettingsView | null;
  onSaved: (view: RegistrationSettingsView) => void;
}

/** The form: numbers as typed text until saved. */
interface Form {
  serverUrl: string;
  registrationUrlStyle: RegistrationUrlStyle;
  customRegistrationUrl: string;
  pinLength: string;
  pinLifetimeHours: string;
  inAppRequirement: RegistrationRequirement;
  webRequirement: RegistrationRequirement;
  silentInAppOnly: boolean;
  silentInAppMinutes: string;
  samlWebRegistration: boolean;
  emailIfProfileNotInstalled: boolean;
  serverNameLookup: boolean;
  defaultLanguage: Language;
}

const NUMBER_FIELDS = ['pinLength', 'pinLifetimeHours', 'silentInAppMinutes'] as const;

function toForm(s: RegistrationSettings): Form {
  return {
    ...s,
    serverUrl: s.serverUrl ?? '',
    customRegistrationUrl: s.customRegistrationUrl ?? '',
    pinLength: String(s.pinLength),
    pinLifetimeHours: String(s.pinLifetimeHours),
    silentInAppMinutes: String(s.silentInAppMinutes),
  };
}

function Switchy({ label, help, checked, onChange }: { label: string; help: ReactNode; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <Box>
      <FormControlLabel control={<Switch checked={checked} onChange={(e) => onChange(e.target.checked)} />} label={label} />
      <Typography variant="body2" color="text.secondary" sx={{ pl: 6.5, mt: -0.5 }}>{help}</Typography>
    </Box>
  );
}

/** The settings tab. */
export function RegistrationSettingsTab({ view, onSaved }: RegistrationSettingsTabProps) {
  const toast = useToast();
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (view) setForm(toForm(view.settings));
  }, [view]);
  const initial = useMemo(() => (view ? toForm(view.settings) : null), [view]);
  if (!form || !initial || !view) return <Typography color="text.secondary">Loading the registration settings…</Typography>;
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => (f ? { ...f, [k]: v } : f));
  const err = (f: string) => (error?.field === f ? error.message : undefined);

  const save = async () => {
    setError(null);
    const patch: Record<string, unknown> = {};
    for (const k of Object.keys(form) as (keyof Form)[]) {
      if (form[k] === initial[k]) continue;
      if ((NUMBER_FIELDS as readonly string[]).includes(k)) {
        const n = Number(String(form[k]).trim());
        if (String(form[k]).trim() === '' || !Number.isFinite(n)) {
          setError({ field: k, message: 'Enter a whole number.' });
          return;
        }
        patch[k] = n;
      } else if (k === 'serverUrl' || k === 'customRegistrationUrl') {
        patch[k] = String(form[k]).trim() || null;
      } else patch[k] = form[k];
    }
    setBusy(true);
    try {
      const next = await api().invoke('registration:settings-set', patch);
      onSaved(next);
      toast({ severity: 'success', message: 'Registration settings saved' });
    } catch (e) {
      setError(fieldError(e));
    } finally {
      setBusy(false);
    }
  };

  const sampleEmail = 'alex@example.com';
  const entry = form.serverNameLookup ? emailDomain(sampleEmail) : form.serverUrl.trim() || '(the tenant server URL)';
  const known = new Set<string>(Object.keys(form));
  return (
    <Stack spacing={3} data-testid="registration-settings">
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, lg: 6 }}>
          <Stack spacing={3}>
            <SectionCard title="Tenant and registration link" subtitle="Where invitations send users to register.">
              <Stack spacing={2}>
                <TextField label="Tenant server URL" placeholder="https://mdm.example.com" value={form.serverUrl} onChange={(e) => set('serverUrl', e.target.value)}
                  error={!!err('serverUrl')} helperText={err('serverUrl') ?? 'The address of your Ivanti tenant, https://host only.'} />
                <TextField select label="Registration URL form" value={form.registrationUrlStyle} onChange={(e) => set('registrationUrlStyle', e.target.value as RegistrationUrlStyle)} error={!!err('registrationUrlStyle')} helperText={err('registrationUrlStyle')}>
                  <MenuItem value="epmm">Ivanti EPMM — …/go</MenuItem>
                  <MenuItem value="neurons">Ivanti Neurons for MDM — …/ireg/index.html</MenuItem>
                  <MenuItem value="custom">Custom URL</MenuItem>
                </TextField>
                {form.registrationUrlStyle === 'custom' && (
                  <TextField label="Custom registration URL" placeholder="https://register.example.com/" value={form.customRegistrationUrl} onChange={(e) => set('customRegistrationUrl', e.target.value)} error={!!err('customRegistrationUrl')} helperText={err('customRegistrationUrl') ?? 'An https URL.'} />
                )}
                <Typography variant="body2" color="text.secondary">
                  Invitations link to:{' '}
                  <Box component="span" sx={{ fontFamily: MONO_STACK, color: 'text.primary' }} data-testid="settings-registration-url">{view.registrationUrl ?? 'not set yet'}</Box>
                  {dirty && ' (after saving, from the values above)'}
                </Typography>
              </Stack>
            </SectionCard>
            <SectionCard title="Registration PIN" subtitle="The one-time PIN each invitation carries when a requirement asks for it.">
              <Stack direction="row" spacing={2}>
                <TextField label="PIN length (digits)" type="number" value={form.pinLength} onChange={(e) => set('pinLength', e.target.value)} error={!!err('pinLength')} helperText={err('pinLength') ?? '4 to 12 digits'} slotProps={{ htmlInput: { min: 4, max: 12 } }} fullWidth />
                <TextField label="PIN lifetime (hours)" type="number" value={form.pinLifetimeHours} onChange={(e) => set('pinLifetimeHours', e.target.value)} error={!!err('pinLifetimeHours')} helperText={err('pinLifetimeHours') ?? '1 to 4320 hours (180 days)'} slotProps={{ htmlInput: { min: 1, max: 4320 } }} fullWidth />
              </Stack>
              <Typography variant="body2" color="text.secondary" sx={{ mt: 1.5 }} data-testid="settings-pin-note">
                {view.invitationNeedsPin ? 'Invitations carry a registration PIN under the saved requirements.' : 'Under the saved requirements invitations carry no PIN.'}
              </Typography>
            </SectionCard>
            <SectionCard title="Server Name Lookup" subtitle="What the invitation asks the user to type into Mobile@Work / Go.">
              <Stack spacing={2}>
                <Switchy label="Server Name Lookup" checked={form.serverNameLookup} onChange={(v) => set('serverNameLookup', v)}
                  help="The app finds the server from the user's email domain, so the user does not type the server address." />
                <Alert severity="info" icon={false} data-testid="server-entry-preview">
                  For {sampleEmail} the invitation asks to enter: <Box component="strong" sx={{ fontFamily: MONO_STACK }}>{entry}</Box>
                </Alert>
              </Stack>
            </SectionCard>
          </Stack>
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <Stack spacing={3}>
            <SectionCard title="Registration requirements" subtitle="What device users must give to register.">
              <Stack spacing={2}>
                <TextField select label="In-App Registration Requirement" value={form.inAppRequirement} onChange={(e) => set('inAppRequirement', e.target.value as RegistrationRequirement)} error={!!err('inAppRequirement')} helperText={err('inAppRequirement') ?? 'Registering in Mobile@Work / Go on iPhone and iPad.'}>
                  {REQUIREMENT_OPTIONS.map((o) => <MenuItem key={o.value} value={o.value}>{o.label}</MenuItem>)}
                </TextField>
                <TextField select label="Apple Web-based Registration Requirement" value={form.webRequirement} onChange={(e) => set('webRequirement', e.target.value as RegistrationRequirement)} error={!!err('webRequirement')} helperText={err('webRequirement') ?? 'Registering in Safari at the registration URL (also Macs).'}>
                  {REQUIREMENT_OPTIONS.map((o) => <MenuItem key={o.value} value={o.value}>{o.label}</MenuItem>)}
                </TextField>
                <Switchy label="SAML-based web registration" checked={form.samlWebRegistration} onChange={(v) => set('samlWebRegistration', v)}
                  help="Web-based registration signs users in at your identity provider instead of asking for the PIN." />
              </Stack>
            </SectionCard>
            <SectionCard title="In-app registration">
              <Stack spacing={2}>
                <Switchy label="Allow silent in-app registration only" checked={form.silentInAppOnly} onChange={(v) => set('silentInAppOnly', v)}
                  help="Devices register in the app without user prompts, within the time limit below." />
                <TextField label="Silent in-app registration time limit (minutes)" type="number" value={form.silentInAppMinutes} onChange={(e) => set('silentInAppMinutes', e.target.value)} disabled={!form.silentInAppOnly}
                  error={!!err('silentInAppMinutes')} helperText={err('silentInAppMinutes') ?? '1 to 10080 minutes; Ivanti’s default is 240.'} slotProps={{ htmlInput: { min: 1, max: 10080 } }} sx={{ maxWidth: 360 }} />
              </Stack>
            </SectionCard>
            <SectionCard title="Notifications and language">
              <Stack spacing={2}>
                <Switchy label="Send email to device user if the MDM profile is not installed" checked={form.emailIfProfileNotInstalled} onChange={(v) => set('emailIfProfileNotInstalled', v)}
                  help="A reminder goes out when a device registered but its MDM profile never arrived." />
                <TextField select label="Default invitation language" value={form.defaultLanguage} onChange={(e) => set('defaultLanguage', e.target.value as Language)} sx={{ maxWidth: 360 }} helperText="For users without a language of their own.">
                  {(Object.keys(LANGUAGE_LABELS) as Language[]).map((l) => <MenuItem key={l} value={l}>{LANGUAGE_LABELS[l]}</MenuItem>)}
                </TextField>
              </Stack>
            </SectionCard>
          </Stack>
        </Grid>
      </Grid>
      {error && (!error.field || !known.has(error.field)) && <Alert severity="error">{error.message}</Alert>}
      <Stack direction="row" spacing={1.5} sx={{ position: 'sticky', bottom: 0, py: 1.5, bgcolor: 'background.default', borderTop: 1, borderColor: 'divider', alignItems: 'center' }}>
        <Button variant="contained" disabled={!dirty || busy} onClick={() => void save()}>
          {busy ? 'Saving…' : 'Save settings'}
        </Button>
        <Button disabled={!dirty || busy} onClick={() => { setForm(initial); setError(null); }}>
          Discard changes
        </Button>
        {error?.field && known.has(error.field) && <Typography variant="body2" color="error">Fix the highlighted field: {error.message}</Typography>}
      </Stack>
    </Stack>
  );
}
