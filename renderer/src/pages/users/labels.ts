/** Labels and tones of the Users & Invitations page: roles, sources, invitation statuses, languages, requirements. */
import type { InvitationStatus, Language, PortalRole, RegistrationRequirement } from '../../../../main/registration/types';

/** Ivanti's words for the User Portal role values. */
export const ROLE_LABELS: Record<PortalRole, string> = {
  none: 'No portal role',
  'user-portal': 'User Portal',
  'device-registration': 'User Portal · Device Registration',
};

/** Invitation status as admins read it (`sent` is an open invitation: pending). */
export const STATUS_LABELS: Record<InvitationStatus, string> = {
  sent: 'Pending',
  used: 'Used',
  expired: 'Expired',
  revoked: 'Revoked',
  superseded: 'Replaced',
  locked: 'Locked',
};

/** MUI chip colour of a status. */
export const STATUS_COLORS: Record<InvitationStatus, 'info' | 'success' | 'warning' | 'default' | 'error'> = {
  sent: 'info',
  used: 'success',
  expired: 'warning',
  revoked: 'default',
  superseded: 'default',
  locked: 'error',
};

/** Invitation template languages with their names. */
export const LANGUAGE_LABELS: Record<Language, string> = { en: 'English', de: 'Deutsch', fr: 'Français' };

/** Ivanti's labels of the registration requirements. */
export const REQUIREMENT_OPTIONS: { value: RegistrationRequirement; label: string }[] = [
  { value: 'password', label: 'Password' },
  { value: 'pin', label: 'Registration PIN' },
  { value: 'password-and-pin', label: 'Password and Registration PIN' },
  { value: 'user-and-pin', label: 'User and Registration PIN' },
];

/** Whether a status can still be resent or revoked (open, expired or locked). */
export function reopenable(status: InvitationStatus): boolean {
  return status === 'sent' || status === 'expired' || status === 'locked';
}
