/** Device kind from usbmuxd/lockdown facts (ProductType `iPhone14,2`, DeviceClass `iPad` …). */
import PhoneIphoneIcon from '@mui/icons-material/PhoneIphone';
import TabletMacIcon from '@mui/icons-material/TabletMac';
import TvIcon from '@mui/icons-material/Tv';
import DevicesOtherIcon from '@mui/icons-material/DevicesOther';
import type { DeviceRow } from '../../../../main/app/types';

/** Kinds the bench distinguishes. */
export type DeviceKind = 'iphone' | 'ipad' | 'appletv' | 'other';

/** Kind of `device`, from ProductType first, then DeviceClass. */
export function deviceKind(device: Pick<DeviceRow, 'productType' | 'deviceClass'>): DeviceKind {
  const probe = `${device.productType ?? ''} ${device.deviceClass ?? ''}`.toLowerCase();
  if (/\biphone|\bipod/.test(probe)) return 'iphone';
  if (/\bipad/.test(probe)) return 'ipad';
  if (/\bappletv|\baudioaccessory/.test(probe)) return 'appletv';
  return 'other';
}

/** Human label of a kind. */
export const KIND_LABEL: Record<DeviceKind, string> = { iphone: 'iPhone', ipad: 'iPad', appletv: 'Apple TV', other: 'Apple device' };

/** OS name shown before the version. */
export function osName(kind: DeviceKind): string {
  if (kind === 'appletv') return 'tvOS';
  if (kind === 'ipad') return 'iPadOS';
  return 'iOS';
}

/** Icon for a kind. */
export function KindIcon({ kind, fontSize = 'medium' }: { kind: DeviceKind; fontSize?: 'small' | 'medium' | 'large' }) {
  const label = KIND_LABEL[kind];
  if (kind === 'iphone') return <PhoneIphoneIcon fontSize={fontSize} titleAccess={label} />;
  if (kind === 'ipad') return <TabletMacIcon fontSize={fontSize} titleAccess={label} />;
  if (kind === 'appletv') return <TvIcon fontSize={fontSize} titleAccess={label} />;
  return <DevicesOtherIcon fontSize={fontSize} titleAccess={label} />;
}
