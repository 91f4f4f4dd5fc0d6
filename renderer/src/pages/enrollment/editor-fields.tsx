/**
 * Sections of the DEP profile editor (all fields of main/dep/profiles/form.ts except the Setup
 * Assistant, see SetupAssistantEditor.tsx, the certificate lists, editor-certificates.tsx, and macOS
 * accounts, editor-accounts.tsx): general, device management flags with their OS rules,
 * custom enrollment, minimum OS, Shared iPad, device settings, authentication. Each field shows the
 * service's issue for it inline.
 */
import type { ReactNode } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Grid from '@mui/material/Grid';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { DepProfileFormIn } from '../../../../main/ipc/contract-dep';
import { fieldHelp, numberOf, textOf, type IssueLookup } from './editor-model';

/** Props of a section: the form, an updater and the issue lookup. */
export interface SectionProps {
  form: DepProfileFormIn;
  set: (patch: Partial<DepProfileFormIn>) => void;
  issue: IssueLookup;
}

/** A switch with its rule text and the field's issue underneath. */
export function Toggle({ label, checked, onChange, rule, issue, testId }: { label: string; checked: boolean; onChange: (v: boolean) => void; rule?: ReactNode; issue?: ReturnType<IssueLookup>; testId?: string }) {
  return (
    <Stack spacing={0}>
      <FormControlLabel control={<Switch checked={checked} onChange={(e) => onChange(e.target.checked)} slotProps={{ input: { 'aria-label': label, ...(testId ? { 'data-testid': testId } : {}) } as object }} />} label={label} />
      {rule && <Typography variant="caption" color="text.secondary" sx={{ ml: 6, mt: -0.5 }}>{rule}</Typography>}
      {issue && <FormHelperText error={issue.severity === 'error'} sx={{ ml: 6, color: issue.severity === 'warning' ? 'warning.main' : undefined }}>{issue.message} [{issue.code}]</FormHelperText>}
    </Stack>
  );
}

const txt = (form: DepProfileFormIn, k: 'name' | 'description' | 'department' | 'supportPhone' | 'supportEmail' | 'url' | 'orgMagic' | 'loginPageText' | 'language' | 'region') => form[k] ?? '';

/** Apple's limit of `org_magic` (characters; main/dep/profiles/apple-profile.ts APPLE_PROFILE_LIMITS). */
export const ORG_MAGIC_MAX = 256;

/** General: name, description, department, support phone and e-mail, MDM enrollment URL, organization magic, login-page text. */
export function GeneralSection({ form, set, issue }: SectionProps) {
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, md: 6 }}><TextField required label="Profile name" name="profile-name" value={form.name} onChange={(e) => set({ name: e.target.value })} {...fieldHelp(issue('name'), 'Shown on the device during setup')} /></Grid>
      <Grid size={{ xs: 12, md: 6 }}><TextField label="Department" name="profile-department" value={txt(form, 'department')} onChange={(e) => set({ department: textOf(e.target.value) })} {...fieldHelp(issue('department'), 'Shown on the device next to the support contacts')} /></Grid>
      <Grid size={12}><TextField label="Description" name="profile-description" value={txt(form, 'description')} onChange={(e) => set({ description: textOf(e.target.value) })} {...fieldHelp(issue('description'), 'For admins only; not sent to Apple')} /></Grid>
      <Grid size={{ xs: 12, md: 6 }}><TextField label="Support phone number" name="profile-phone" value={txt(form, 'supportPhone')} onChange={(e) => set({ supportPhone: textOf(e.target.value) })} {...fieldHelp(issue('supportPhone'))} /></Grid>
      <Grid size={{ xs: 12, md: 6 }}><TextField label="Support email address" name="profile-email" value={txt(form, 'supportEmail')} onChange={(e) => set({ supportEmail: textOf(e.target.value) })} {...fieldHelp(issue('supportEmail'))} /></Grid>
      <Grid size={12}><TextField label="MDM enrollment URL" name="profile-url" value={txt(form, 'url')} onChange={(e) => set({ url: textOf(e.target.value) })} placeholder="https://tenant.example.com/enroll" {...fieldHelp(issue('url'), 'Where devices fetch their MDM enrollment profile (your tenant’s ADE enrollment URL)')} /></Grid>
      <Grid size={12}>
        <TextField label="Organization magic" name="profile-org-magic" value={txt(form, 'orgMagic')} onChange={(e) => set({ orgMagic: textOf(e.target.value) })}
          {...fieldHelp(issue('orgMagic'), `Optional string identifying services managed by one organization (Apple org_magic) · ${[...txt(form, 'orgMagic')].length}/${ORG_MAGIC_MAX} characters`)} />
      </Grid>
      <Grid size={12}><TextField label="Custom text on the login page" name="profile-login-text" multiline minRows={2} value={txt(form, 'loginPageText')} onChange={(e) => set({ loginPageText: textOf(e.target.value) })} {...fieldHelp(issue('loginPageText'), 'Extra instructions shown on the device’s login page during enrollment')} /></Grid>
    </Grid>
  );
}

/** Supervised / MDM Removable / MDM Mandatory / Allow Pairing with Apple's and Ivanti's OS rules. */
export function ManagementSection({ form, set, issue }: SectionProps) {
  return (
    <Grid container spacing={1}>
      <Grid size={{ xs: 12, md: 6 }}><Toggle label="Supervised" checked={form.supervised} onChange={(v) => set({ supervised: v })} issue={issue('supervised')} rule="Always on for iOS 13+ and macOS 10.15+; needed for Await Device Configuration" /></Grid>
      <Grid size={{ xs: 12, md: 6 }}><Toggle label="MDM Removable" checked={form.mdmRemovable} onChange={(v) => set({ mdmRemovable: v })} issue={issue('mdmRemovable')} rule="Off: users cannot remove the MDM profile. Not applicable to Shared iPads" /></Grid>
      <Grid size={{ xs: 12, md: 6 }}><Toggle label="MDM Mandatory" checked={form.mdmMandatory} onChange={(v) => set({ mdmMandatory: v })} issue={issue('mdmMandatory')} rule="Always mandatory on iOS 13+ and macOS 10.15+; ignored for macOS" /></Grid>
      <Grid size={{ xs: 12, md: 6 }}><Toggle label="Allow Pairing" checked={form.allowPairing} onChange={(v) => set({ allowPairing: v })} issue={issue('allowPairing')} rule="Not applicable to iOS 13+ and macOS 10.15+ (hosts with pairing certificates can always pair)" /></Grid>
    </Grid>
  );
}

/** Custom Enrollment (iOS 13+, macOS 10.15+): hosted page or a custom https URL. */
export function CustomEnrollmentSection({ form, set, issue }: SectionProps) {
  const ce = form.customEnrollment;
  const put = (p: Partial<typeof ce>) => set({ customEnrollment: { ...ce, ...p } });
  const modeIssue = issue('customEnrollment.mode');
  return (
    <Stack spacing={1.5}>
      <Toggle label="Enable custom enrollment" checked={ce.enabled} onChange={(v) => put({ enabled: v })} rule="iOS 13+ and macOS 10.15+: a web page authenticates the user before the MDM profile downloads" testId="custom-enrollment" />
      {ce.enabled && (
        <Stack spacing={1} sx={{ pl: 6 }}>
          <RadioGroup row value={ce.mode} onChange={(e) => put({ mode: e.target.value as 'hosted' | 'custom' })}>
            <FormControlLabel value="hosted" control={<Radio />} label="Tenant-hosted web page" />
            <FormControlLabel value="custom" control={<Radio />} label="Custom URL" />
          </RadioGroup>
          {modeIssue && <FormHelperText error>{modeIssue.message} [{modeIssue.code}]</FormHelperText>}
          {ce.mode === 'custom' && (
            <TextField label="Custom enrollment URL" name="custom-enrollment-url" value={ce.url ?? ''} onChange={(e) => put({ url: textOf(e.target.value) })} placeholder="https://mycustomweburl.com"
              {...fieldHelp(issue('customEnrollment.url'), 'An https page with a publicly trusted certificate')} />
          )}
        </Stack>
      )}
    </Stack>
  );
}

/** Require minimum OS version for enrollment (iOS 17+, macOS 14+ devices honour it). */
export function MinimumOsSection({ form, set, issue }: SectionProps) {
  const m = form.minimumOs;
  const put = (p: Partial<typeof m>) => set({ minimumOs: { ...m, ...p } });
  const os = (k: 'iOS' | 'macOS', field: 'osVersion' | 'buildVersion', v: string) => {
    const cur = m[k] ?? { osVersion: '' };
    const next = { ...cur, [field]: field === 'buildVersion' ? textOf(v) : v };
    put({ [k]: next.osVersion === '' && !next.buildVersion ? undefined : next });
  };
  const sectionIssue = issue('minimumOs');
  return (
    <Stack spacing={1.5}>
      <Toggle label="Require minimum OS version for enrollment" checked={m.enabled} onChange={(v) => put({ enabled: v })} rule="Devices below the minimum are asked to update; enrollment is blocked if the user declines. Honoured by iOS 17+ and macOS 14+" />
      {sectionIssue && <FormHelperText error>{sectionIssue.message} [{sectionIssue.code}]</FormHelperText>}
      {m.enabled && (
        <Grid container spacing={2} sx={{ pl: 6 }}>
          {(['iOS', 'macOS'] as const).map((k) => (
            <Grid key={k} size={{ xs: 12, md: 6 }}>
              <Stack direction="row" spacing={1}>
                <TextField label={`Minimum ${k}`} name={`min-${k}`} value={m[k]?.osVersion ?? ''} onChange={(e) => os(k, 'osVersion', e.target.value)} placeholder={k === 'iOS' ? '17.1' : '14.2'} {...fieldHelp(issue(`minimumOs.${k}.osVersion`))} />
                <TextField label="Build (optional)" name={`min-${k}-build`} value={m[k]?.buildVersion ?? ''} onChange={(e) => os(k, 'buildVersion', e.target.value)} placeholder="21B91" {...fieldHelp(issue(`minimumOs.${k}.buildVersion`))} />
              </Stack>
            </Grid>
          ))}
          <Grid size={12}><TextField label="Message to the user" name="min-message" value={m.message ?? ''} onChange={(e) => put({ message: textOf(e.target.value) })} {...fieldHelp(issue('minimumOs.message'), 'The OS version wins when the build disagrees with it')} /></Grid>
        </Grid>
      )}
    </Stack>
  );
}

/** Shared iPad for Business (iOS 13.4+). */
export function SharedIpadSection({ form, set, issue }: SectionProps) {
  const s = form.sharedIpad;
  const put = (p: Partial<typeof s>) => set({ sharedIpad: { ...s, ...p } });
  const num = (k: 'quotaSizeMb' | 'residentUsers' | 'userSessionTimeout' | 'temporarySessionTimeout' | 'onlineAuthenticationGracePeriodDays', label: string, help: string) => (
    <Grid size={{ xs: 12, sm: 6, md: 4 }}>
      <TextField type="number" label={label} name={`shared-${k}`} value={s[k] ?? ''} onChange={(e) => put({ [k]: numberOf(e.target.value) })} {...fieldHelp(issue(`sharedIpad.${k}`), help)} />
    </Grid>
  );
  return (
    <Stack spacing={1.5}>
      <Toggle label="Shared iPad (multi-user)" checked={s.enabled} onChange={(v) => put({ enabled: v })} issue={issue('sharedIpad.enabled')} rule="iOS 13.4+: several employees share the iPad, each with their own space" />
      {s.enabled && (
        <Grid container spacing={2} sx={{ pl: 6 }}>
          {num('quotaSizeMb', 'Quota size (MB)', 'Storage per user; wins over Resident Users')}
          {num('residentUsers', 'Resident users', 'Users kept on the device')}
          {num('onlineAuthenticationGracePeriodDays', 'Online auth grace (days)', '0 = always authenticate online')}
          {num('userSessionTimeout', 'User session timeout (s)', 'iOS 14.5+: 0 = device default, else ≥ 30')}
          {num('temporarySessionTimeout', 'Temporary session timeout (s)', 'iOS 14.5+: 0 = device default, else ≥ 30')}
          <Grid size={{ xs: 12, sm: 6, md: 4 }}><Toggle label="Temporary session only" checked={s.temporarySessionOnly} onChange={(v) => put({ temporarySessionOnly: v })} /></Grid>
          <Grid size={12}>
            <TextField label="Managed Apple Account default domains" name="shared-domains" value={s.managedAppleIdDefaultDomains.join(', ')}
              onChange={(e) => put({ managedAppleIdDefaultDomains: e.target.value.split(/[,\s]+/).filter(Boolean) })}
              {...fieldHelp(issue('sharedIpad.managedAppleIdDefaultDomains', true), 'iOS 16+: comma-separated, offered in the QuickType bar')} />
          </Grid>
        </Grid>
      )}
    </Stack>
  );
}

let zones: string[] | undefined;
function timeZones(): string[] {
  zones ??= Intl.supportedValuesOf('timeZone');
  return zones;
}

/** Auto Lock, Passcode grace, Time Zone (IANA), Await Device Configuration with its time limit, auto advance, language and region. */
export function DeviceSettingsSection({ form, set, issue }: SectionProps) {
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, sm: 6, md: 4 }}><TextField type="number" label="Auto-Lock (seconds)" name="auto-lock" value={form.autoLockTime ?? ''} onChange={(e) => set({ autoLockTime: numberOf(e.target.value) })} {...fieldHelp(issue('autoLockTime'), 'iOS 17+: at least 120')} /></Grid>
      <Grid size={{ xs: 12, sm: 6, md: 4 }}><TextField type="number" label="Passcode grace period (seconds)" name="passcode-grace" value={form.passcodeLockGracePeriod ?? ''} onChange={(e) => set({ passcodeLockGracePeriod: numberOf(e.target.value) })} {...fieldHelp(issue('passcodeLockGracePeriod'), '0 to 14400')} /></Grid>
      <Grid size={{ xs: 12, sm: 12, md: 4 }}>
        <Autocomplete options={timeZones()} value={form.timeZone ?? null} onChange={(_e, v) => set({ timeZone: v ?? undefined })} autoHighlight
          renderInput={(params) => <TextField {...params} label="Time zone" name="time-zone" {...fieldHelp(issue('timeZone'), 'IANA name, e.g. Europe/Berlin')} />} />
      </Grid>
      <Grid size={{ xs: 12, md: 8 }}>
        <Toggle label="Await device configuration" checked={form.awaitDeviceConfigured} onChange={(v) => set({ awaitDeviceConfigured: v })} issue={issue('awaitDeviceConfigured')}
          rule="Setup Assistant waits until configurations and high-priority apps are pushed; needed for macOS account setup" />
      </Grid>
      <Grid size={{ xs: 12, md: 4 }}>
        <TextField type="number" label="Time limit (minutes)" name="await-limit" disabled={!form.awaitDeviceConfigured} value={Number.isNaN(form.awaitTimeLimitMinutes) ? '' : form.awaitTimeLimitMinutes}
          onChange={(e) => set({ awaitTimeLimitMinutes: numberOf(e.target.value) ?? Number.NaN })} {...fieldHelp(issue('awaitTimeLimitMinutes'), 'Default 3, at most 10')} />
      </Grid>
      <Grid size={{ xs: 12, md: 4 }}><Toggle label="Auto advance setup" checked={form.autoAdvance} onChange={(v) => set({ autoAdvance: v })} issue={issue('autoAdvance')} rule="tvOS and macOS 11+; needs Ethernet" /></Grid>
      <Grid size={{ xs: 6, md: 4 }}><TextField label="Language" name="language" value={txt(form, 'language')} onChange={(e) => set({ language: textOf(e.target.value) })} placeholder="en" {...fieldHelp(issue('language'), 'ISO 639, tvOS and macOS 11+')} /></Grid>
      <Grid size={{ xs: 6, md: 4 }}><TextField label="Region" name="region" value={txt(form, 'region')} onChange={(e) => set({ region: textOf(e.target.value) })} placeholder="US" {...fieldHelp(issue('region'), 'ISO 3166-1 alpha-2, tvOS and macOS 11+')} /></Grid>
    </Grid>
  );
}

type Auth = DepProfileFormIn['authentication'];

/** Authentication: prompt for registration/login, or skip login with one defined user or the anonymous user. */
export function AuthenticationFields({ value, onChange, issue }: { value: Auth; onChange: (a: Auth) => void; issue: IssueLookup }) {
  const choice = value.mode === 'prompt' ? 'prompt' : value.assignTo;
  return (
    <Stack spacing={1}>
      <RadioGroup value={choice} onChange={(e) => {
        const v = e.target.value;
        onChange(v === 'prompt' ? { mode: 'prompt' } : v === 'defined' ? { mode: 'skip', assignTo: 'defined', user: '' } : { mode: 'skip', assignTo: 'anonymous' });
      }}>
        <FormControlLabel value="prompt" control={<Radio />} label="Prompt user for registration / login" />
        <Typography variant="caption" color="text.secondary" sx={{ ml: 4, mt: -0.75 }}>Users enter their user name and password or PIN. Not for visionOS.</Typography>
        <FormControlLabel value="defined" control={<Radio />} label="Skip user login — assign all devices to one user" />
        <FormControlLabel value="anonymous" control={<Radio />} label="Skip user login — assign all devices to the anonymous user" />
      </RadioGroup>
      {value.mode === 'skip' && value.assignTo === 'defined' && (
        <TextField label="User" name="auth-user" value={value.user} onChange={(e) => onChange({ ...value, user: e.target.value })} sx={{ pl: 4 }} {...fieldHelp(issue('authentication.user'), 'Devices can be reassigned to their users later')} />
      )}
    </Stack>
  );
}
