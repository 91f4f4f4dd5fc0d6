/**
 * Navigation model. Every planned area is listed; only the ones marked `ready` are shown, so the
 * operator never sees a page that does nothing.
 */
import type { ReactElement } from 'react';
import UsbIcon from '@mui/icons-material/Usb';
import DescriptionIcon from '@mui/icons-material/Description';
import DevicesOtherIcon from '@mui/icons-material/DevicesOther';
import BadgeIcon from '@mui/icons-material/Badge';
import PhonelinkSetupIcon from '@mui/icons-material/PhonelinkSetup';
import AutorenewIcon from '@mui/icons-material/Autorenew';
import PolicyIcon from '@mui/icons-material/Policy';
import DnsIcon from '@mui/icons-material/Dns';

/** Identifier of a navigation area. */
export type PageId = 'bench' | 'profiles' | 'devices' | 'users' | 'enrollment' | 'sync' | 'audit' | 'settings';

/** One navigation entry. `section` groups entries in the drawer. */
export interface NavItem {
  id: PageId;
  label: string;
  description: string;
  icon: ReactElement;
  section: 'Staging' | 'Tenant' | 'System';
  ready: boolean;
}

/** All areas, in drawer order. */
export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'bench', label: 'Bench', description: 'Stage the devices connected to this workstation', icon: <UsbIcon />, section: 'Staging', ready: true },
  { id: 'profiles', label: 'Profiles', description: 'Build, sign, export and verify enrollment profiles', icon: <DescriptionIcon />, section: 'Staging', ready: true },
  { id: 'devices', label: 'Devices', description: 'Tenant device inventory', icon: <DevicesOtherIcon />, section: 'Tenant', ready: false },
  { id: 'users', label: 'Users & Invitations', description: 'Tenant users and enrollment invitations', icon: <BadgeIcon />, section: 'Tenant', ready: false },
  { id: 'enrollment', label: 'Enrollment (ABM)', description: 'Automated Device Enrollment assignments', icon: <PhonelinkSetupIcon />, section: 'Tenant', ready: false },
  { id: 'sync', label: 'Sync', description: 'Tenant synchronisation status', icon: <AutorenewIcon />, section: 'Tenant', ready: false },
  { id: 'audit', label: 'Audit', description: 'Audit log', icon: <PolicyIcon />, section: 'System', ready: false },
  { id: 'settings', label: 'Settings', description: 'Workstation settings', icon: <DnsIcon />, section: 'System', ready: false },
];

/** The entries to show (ready ones). */
export function visibleNavItems(): NavItem[] {
  return NAV_ITEMS.filter((item) => item.ready);
}
