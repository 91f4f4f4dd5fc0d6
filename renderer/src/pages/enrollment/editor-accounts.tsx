/**
 * macOS account setup of a DEP profile: skip admin creation / skip primary account / primary as
 * regular user, the managed admin account (password typed twice, sent once to be hashed and never
 * shown again) and the primary account prefill.
 */
import Alert from '@mui/material/Alert';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { PasswordField } from '../../components/PasswordField';
import { fieldHelp } from './editor-model';
import { Toggle, type SectionProps } from './editor-fields';

/** The admin password pair, kept by the editor in memory only. */
export interface AdminPasswords {
  password: string;
  confirm: string;
}

/** Props: the section props, the password pair and whether a password is already stored. */
export interface MacAccountsSectionProps extends SectionProps {
  passwords: AdminPasswords;
  onPasswords: (p: AdminPasswords) => void;
  hasStoredPassword: boolean;
}

/** The section. */
export function MacAccountsSection({ form, set, issue, passwords, onPasswords, hasStoredPassword }: MacAccountsSectionProps) {
  const a = form.macosAccounts;
  const put = (p: Partial<typeof a>) => set({ macosAccounts: { ...a, ...p } });
  const admin = a.managedAdmin;
  const primary = a.primaryAccount;
  return (
    <Stack spacing={1.5}>
      <Typography variant="body2" color="text.secondary">macOS only. Sent to the Mac while it waits in Setup Assistant (turn on Await device configuration).</Typography>
      <Toggle label="Skip admin account creation" checked={a.skipAdminAccountCreation} issue={issue('macosAccounts.managedAdmin')}
        onChange={(v) => put({ skipAdminAccountCreation: v, managedAdmin: v ? undefined : admin ?? { fullName: '', accountName: '', hidden: false } })}
        rule="Off: set up a managed macOS admin account below" />
      <Toggle label="Skip primary setup account creation" checked={a.skipPrimaryAccountCreation} issue={issue('macosAccounts.skipPrimaryAccountCreation')}
        onChange={(v) => put({ skipPrimaryAccountCreation: v, primaryAccount: v ? undefined : primary })} rule="Only the managed admin account is created (needs one)" />
      <Toggle label="Create primary accounts as regular users" checked={a.primaryAccountsAsRegularUsers} issue={issue('macosAccounts.primaryAccountsAsRegularUsers')}
        onChange={(v) => put({ primaryAccountsAsRegularUsers: v })} rule="As admin when off (needs a managed admin account)" />
      {admin && (
        <Stack spacing={1.5} sx={{ pl: 6 }} data-testid="managed-admin">
          <Typography variant="subtitle2">Managed macOS admin account</Typography>
          <Grid container spacing={2}>
            <Grid size={{ xs: 12, md: 6 }}><TextField label="Full name" name="admin-full-name" value={admin.fullName} onChange={(e) => put({ managedAdmin: { ...admin, fullName: e.target.value } })} {...fieldHelp(issue('macosAccounts.managedAdmin.fullName'))} /></Grid>
            <Grid size={{ xs: 12, md: 6 }}><TextField label="Account name" name="admin-account-name" value={admin.accountName} onChange={(e) => put({ managedAdmin: { ...admin, accountName: e.target.value } })} {...fieldHelp(issue('macosAccounts.managedAdmin.accountName'), 'Short name, no spaces')} /></Grid>
            <Grid size={{ xs: 12, md: 6 }}>
              <PasswordField label="Password" name="admin-password" value={passwords.password} onChange={(e) => onPasswords({ ...passwords, password: e.target.value })}
                {...fieldHelp(issue('macosAccounts.managedAdmin.password'), hasStoredPassword ? 'A password is set; type a new one only to change it' : 'Stored only as a salted hash')} />
            </Grid>
            <Grid size={{ xs: 12, md: 6 }}>
              <PasswordField label="Confirm password" name="admin-password-confirm" value={passwords.confirm} onChange={(e) => onPasswords({ ...passwords, confirm: e.target.value })}
                {...fieldHelp(issue('macosAccounts.managedAdmin.confirmPassword'))} />
            </Grid>
          </Grid>
          {hasStoredPassword && !passwords.password && <Alert severity="info" variant="outlined">The admin password is saved as a hash and cannot be shown.</Alert>}
          <Toggle label="Hide managed administrator account in Users & Groups" checked={admin.hidden} onChange={(v) => put({ managedAdmin: { ...admin, hidden: v } })} />
        </Stack>
      )}
      {!a.skipPrimaryAccountCreation && (
        <Stack spacing={1} sx={{ pl: 6 }}>
          <Toggle label="Prefill the primary account" checked={!!primary} issue={issue('macosAccounts.primaryAccount')}
            onChange={(v) => put({ primaryAccount: v ? { fullName: '', shortName: '', preventModification: false } : undefined })} rule="macOS 10.15+: full name and short name suggested in Setup Assistant" />
          {primary && (
            <Grid container spacing={2}>
              <Grid size={{ xs: 12, md: 6 }}><TextField label="Full name" name="primary-full-name" value={primary.fullName} onChange={(e) => put({ primaryAccount: { ...primary, fullName: e.target.value } })} {...fieldHelp(issue('macosAccounts.primaryAccount.fullName'), 'Substitution variables such as $FIRST_NAME are allowed')} /></Grid>
              <Grid size={{ xs: 12, md: 6 }}><TextField label="Short name" name="primary-short-name" value={primary.shortName} onChange={(e) => put({ primaryAccount: { ...primary, shortName: e.target.value } })} {...fieldHelp(issue('macosAccounts.primaryAccount.shortName'))} /></Grid>
              <Grid size={12}><Toggle label="Prevent modification by end user" checked={primary.preventModification} onChange={(v) => put({ primaryAccount: { ...primary, preventModification: v } })} rule="Applies with prompt-user authentication or the tenant-hosted enrollment page" /></Grid>
            </Grid>
          )}
        </Stack>
      )}
    </Stack>
  );
}
