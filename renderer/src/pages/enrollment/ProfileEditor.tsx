/**
 * The Device Enrollment profile editor (Create New Profile / Edit Profile): every section of the
 * service's form model, validated live by the service (issues inline on their fields, with Apple's
 * code), the Setup Assistant editor, and Save (queued for Apple) or Save as draft. The macOS admin
 * password lives in this component's memory only and is cleared once sent.
 */
import { useEffect, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import type { DepProfileDetailOut, DepProfileFormIn, DepProfileIssueOut, DepResolvedSkipOut, DepServerOut } from '../../../../main/ipc/contract-dep';
import { api, messageOf } from '../../api';
import { SectionCard } from '../../components/SectionCard';
import { useToast } from '../../components/Toasts';
import { useDebounced } from '../../hooks/useDebounced';
import { SyncStateChip } from './dep-ui';
import { MacAccountsSection, type AdminPasswords } from './editor-accounts';
import { CertificatesSection } from './editor-certificates';
import {
  AuthenticationFields, CustomEnrollmentSection, DeviceSettingsSection, GeneralSection, ManagementSection, MinimumOsSection, SharedIpadSection,
} from './editor-fields';
import { issueLookup, newProfileForm } from './editor-model';
import { SetupAssistantEditor } from './SetupAssistantEditor';

/** Props: the server, the profile to edit (null = new), and what to do after save / cancel. */
export interface ProfileEditorProps {
  server: DepServerOut;
  profileId: string | null;
  onDone: (saved: DepProfileDetailOut | null) => void;
}

const NO_PASSWORDS: AdminPasswords = { password: '', confirm: '' };

/** The editor page. */
export function ProfileEditor({ server, profileId, onDone }: ProfileEditorProps) {
  const toast = useToast();
  const [loaded, setLoaded] = useState<DepProfileDetailOut | null>(null);
  const [form, setForm] = useState<DepProfileFormIn | null>(profileId ? null : newProfileForm());
  const [passwords, setPasswords] = useState<AdminPasswords>(NO_PASSWORDS);
  const [issues, setIssues] = useState<DepProfileIssueOut[]>([]);
  const [skip, setSkip] = useState<DepResolvedSkipOut | null>(null);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showAll, setShowAll] = useState(!!profileId);
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    if (!profileId) return;
    api().invoke('dep:profile-get', { id: profileId }).then((p) => { setLoaded(p); setForm(p.form); setSkip(p.skip); }).catch((err: unknown) => setLoadError(messageOf(err)));
  }, [profileId]);

  const typed = passwords.password !== '' || passwords.confirm !== '';
  const pending = useDebounced(useMemo(() => ({ form, passwords }), [form, passwords]), 350);
  useEffect(() => {
    if (!pending.form) return;
    const pw = pending.passwords.password !== '' || pending.passwords.confirm !== '' ? { adminPassword: pending.passwords.password, confirmAdminPassword: pending.passwords.confirm } : {};
    let live = true;
    api().invoke('dep:profile-validate', { form: pending.form, profileId: profileId ?? undefined, ...pw })
      .then((r) => { if (live) { setIssues(r.issues); setSkip(r.skip); } })
      .catch(() => undefined);
    return () => { live = false; };
  }, [pending, profileId]);

  const visible = useMemo(() => issues.filter((i) => showAll || touched.has(i.field.split(/[.[]/)[0])), [issues, showAll, touched]);
  const issue = useMemo(() => issueLookup(visible), [visible]);
  const errors = visible.filter((i) => i.severity === 'error');

  if (loadError) return <Alert severity="error" action={<Button color="inherit" onClick={() => onDone(null)}>Back</Button>}>{loadError}</Alert>;
  if (!form) return <Skeleton variant="rounded" height={400} />;

  const set = (patch: Partial<DepProfileFormIn>) => {
    setForm((f) => (f ? { ...f, ...patch } : f));
    setTouched((t) => new Set([...t, ...Object.keys(patch)]));
  };
  const sectionProps = { form, set, issue };

  const save = async (draft: boolean) => {
    setSaving(true);
    try {
      const pw = typed ? { adminPassword: passwords.password, confirmAdminPassword: passwords.confirm } : {};
      const r = await api().invoke('dep:profile-save', { form, draft, ...(profileId ? { profileId } : { serverId: server.id }), ...pw });
      if (!r.profile) {
        setIssues(r.issues);
        setShowAll(true);
        const n = r.issues.filter((i) => i.severity === 'error').length;
        toast({ severity: 'error', message: `The profile was not saved: ${n} field${n === 1 ? ' needs' : 's need'} attention (marked in red)` });
        return;
      }
      setPasswords(NO_PASSWORDS);
      toast({ severity: 'success', message: draft ? `“${r.profile.name}” saved as a draft` : `“${r.profile.name}” saved${r.profile.syncState === 'pending' ? ' and queued: Send now sends it to Apple' : ''}` });
      onDone(r.profile);
    } catch (err) {
      toast({ severity: 'error', message: `Save failed: ${messageOf(err)}` });
    } finally {
      setSaving(false);
    }
  };

  const minimums = { ...(form.minimumOs.enabled && form.minimumOs.iOS?.osVersion ? { iOS: form.minimumOs.iOS.osVersion.replace(/ \(.*\)$/, '') } : {}), ...(form.minimumOs.enabled && form.minimumOs.macOS?.osVersion ? { macOS: form.minimumOs.macOS.osVersion } : {}) };
  return (
    <Stack spacing={2} data-testid="profile-editor">
      <Stack spacing={1} sx={{ position: 'sticky', top: -24, zIndex: 2, bgcolor: 'background.default', pt: 3, mt: -3, pb: 1.5, borderBottom: 1, borderColor: 'divider' }}>
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
        <Button startIcon={<ArrowBackIcon />} onClick={() => onDone(null)}>Profiles</Button>
        <Stack sx={{ flexGrow: 1, minWidth: 0 }}>
          <Typography variant="h6" component="h2" noWrap>{profileId ? `Edit “${loaded?.name ?? ''}”` : 'New Device Enrollment profile'}</Typography>
          <Typography variant="caption" color="text.secondary">ABM server {server.name}{loaded?.isDefault ? ' · default profile' : ''}</Typography>
        </Stack>
        {loaded && <SyncStateChip profile={loaded} />}
        <Button variant="outlined" disabled={saving} onClick={() => void save(true)}>Save as draft</Button>
        <Button variant="contained" disabled={saving} onClick={() => void save(false)} data-testid="save-profile">Save</Button>
      </Stack>
      {showAll && errors.length > 0 && (
        <Alert severity="error" data-testid="editor-issues" sx={{ py: 0 }}>
          {errors.length} field{errors.length === 1 ? ' needs' : 's need'} attention: {errors.slice(0, 3).map((i) => i.message).join('; ')}{errors.length > 3 ? '…' : ''}
        </Alert>
      )}
      </Stack>
      {loaded?.syncState === 'error' && loaded.lastError && <Alert severity="error">Apple refused the last send: {loaded.lastError}</Alert>}
      <SectionCard title="General" subtitle="Name, contacts and enrollment URL shown on the device"><GeneralSection {...sectionProps} /></SectionCard>
      <SectionCard title="Device management" subtitle="Supervision and MDM removal, with the OS versions each rule applies to"><ManagementSection {...sectionProps} /></SectionCard>
      <SectionCard title="Certificates" subtitle="Anchor and supervising host certificates sent to Apple with the profile (PEM or DER files)" testId="certificates-card">
        <CertificatesSection {...sectionProps} />
      </SectionCard>
      <SectionCard title="Setup Assistant" subtitle="Panes to skip, per platform" testId="setup-assistant-card">
        <SetupAssistantEditor chosen={form.skipSetupItems} skip={skip} onChange={(k) => set({ skipSetupItems: k })} issue={issue} initialMinimums={minimums} />
      </SectionCard>
      <SectionCard title="Custom enrollment"><CustomEnrollmentSection {...sectionProps} /></SectionCard>
      <SectionCard title="Minimum OS version"><MinimumOsSection {...sectionProps} /></SectionCard>
      <SectionCard title="Device settings" subtitle="Applied by the MDM during and after enrollment"><DeviceSettingsSection {...sectionProps} /></SectionCard>
      <SectionCard title="Shared iPad"><SharedIpadSection {...sectionProps} /></SectionCard>
      <SectionCard title="Authentication" subtitle="How users identify themselves during enrollment">
        <AuthenticationFields value={form.authentication} onChange={(a) => set({ authentication: a })} issue={issue} />
      </SectionCard>
      <SectionCard title="macOS account setup">
        <MacAccountsSection {...sectionProps} passwords={passwords} onPasswords={(p) => { setPasswords(p); setTouched((t) => new Set([...t, 'macosAccounts'])); }} hasStoredPassword={!!loaded?.hasAdminPassword} />
      </SectionCard>
    </Stack>
  );
}
