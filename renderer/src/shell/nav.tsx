/**
 * Navigation model: every product area, in drawer order, with its keyboard shortcut (Alt+1…8).
 * Areas whose service is not wired yet still appear; their page shows an empty state saying what
 * it will hold and what to do next.
 */
import type { ReactElement } from 'react';
import AutorenewIcon from '@mui/icons-material/Autorenew';
import BadgeIcon from '@mui/icons-material/Badge';
import CorporateFareIcon from '@mui/icons-material/CorporateFare';
import DescriptionIcon from '@mui/icons-material/Description';
import DevicesOtherIcon from '@mui/icons-material/DevicesOther';
import PhonelinkSetupIcon from '@mui/icons-material/PhonelinkSetup';
import PolicyIcon from '@mui/icons-material/Policy';
import SettingsIcon from '@mui/icons-material/Settings';
import UsbIcon from '@mui/icons-material/Usb';

/** Identifier of a navigation area. */
export type PageId = 'bench' | 'devices' | 'users' | 'enrollment' | 'profiles' | 'sync' | 'audit' | 'organizations' | 'settings';

/** One navigation entry. `section` groups entries in the drawer. */
export interface NavItem {
  id: PageId;
  label: string;
  description: string;
  icon: ReactElement;
  section: 'Workstation' | 'Tenant' | 'System';
  /** Extra words the command palette matches. */
  keywords: string;
}

/** All areas, in drawer order. */
export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'bench', label: 'Bench', description: 'Stage the devices connected to this workstation', icon: <UsbIcon />, section: 'Workstation', keywords: 'stage usb attached pair wifi' },
  { id: 'profiles', label: 'Profiles', description: 'Build, sign, export and verify enrollment profiles', icon: <DescriptionIcon />, section: 'Workstation', keywords: 'mobileconfig sign identity p12 verify' },
  { id: 'devices', label: 'Devices', description: 'Every device: search, filter, export and act in bulk', icon: <DevicesOtherIcon />, section: 'Tenant', keywords: 'inventory serial udid retire wipe' },
  { id: 'users', label: 'Users & Invitations', description: 'Registration users and enrollment invitations', icon: <BadgeIcon />, section: 'Tenant', keywords: 'users invite csv import registration pin' },
  { id: 'enrollment', label: 'Enrollment (ABM)', description: 'Automated Device Enrollment: servers, tokens and profile assignments', icon: <PhonelinkSetupIcon />, section: 'Tenant', keywords: 'ade dep abm apple business manager token p7m' },
  { id: 'sync', label: 'Sync', description: 'Tenant connection and synchronisation', icon: <AutorenewIcon />, section: 'Tenant', keywords: 'tenant ivanti neurons epmm online offline outbox' },
  { id: 'audit', label: 'Audit', description: 'Who did what, when, with what outcome', icon: <PolicyIcon />, section: 'System', keywords: 'log history csv' },
  { id: 'organizations', label: 'Organizations', description: 'Supervision identities: create, import, export the certificate', icon: <CorporateFareIcon />, section: 'System', keywords: 'supervision supervise identity p12 der certificate configurator prepare' },
  { id: 'settings', label: 'Settings', description: 'Workstation, appearance and setup', icon: <SettingsIcon />, section: 'System', keywords: 'theme dark light organization setup wizard' },
];

/** The entry of `id`. */
export function navItem(id: PageId): NavItem {
  return NAV_ITEMS.find((i) => i.id === id) ?? NAV_ITEMS[0];
}

/** True when `s` names a page. */
export function isPageId(s: string): s is PageId {
  return NAV_ITEMS.some((i) => i.id === s);
}
