/**
 * Apple USB identification (vendor 0x05AC): the product IDs of DFU, recovery, restore and normal
 * modes. ../shared/reference/device-protocols.md §5.1 (libirecovery `enum irecv_mode`, usbmuxd
 * `src/usb.h`, libirecovery udev rules).
 */

/** Apple's USB vendor ID. */
export const APPLE_VENDOR_ID = 0x05ac;

/** The mode a product ID means. */
export type AppleUsbMode = 'dfu' | 'recovery' | 'restore' | 'normal';

/** One known product ID. */
export interface AppleProductId {
  productId: number;
  mode: AppleUsbMode;
  /** What the mode is called (e.g. "DFU", "Port DFU", "Recovery (iBoot)"). */
  label: string;
}

/** DFU-class product IDs. */
export const DFU_PRODUCT_IDS: readonly AppleProductId[] = [
  { productId: 0x1227, mode: 'dfu', label: 'DFU' },
  { productId: 0x1222, mode: 'dfu', label: 'WTF (legacy DFU)' },
  { productId: 0x1881, mode: 'dfu', label: 'KIS DFU' },
  { productId: 0xf014, mode: 'dfu', label: 'Port DFU' },
  { productId: 0x1338, mode: 'dfu', label: 'pwned DFU (checkra1n)' },
];

/** Recovery (iBoot) product IDs 0x1280–0x1283. */
export const RECOVERY_PRODUCT_IDS: readonly AppleProductId[] = [0x1280, 0x1281, 0x1282, 0x1283].map((p) => ({ productId: p, mode: 'recovery' as const, label: 'Recovery (iBoot)' }));

/** Apple silicon restore-mode product IDs 0x1901–0x1905. */
export const RESTORE_PRODUCT_IDS: readonly AppleProductId[] = [0x1901, 0x1902, 0x1903, 0x1904, 0x1905].map((p) => ({ productId: p, mode: 'restore' as const, label: 'Restore' }));

/** usbmuxd's normal-mode range (PID_RANGE_LOW 0x1290 … PID_RANGE_MAX 0x12AF) and the T2 iBridge 0x8600. */
export const NORMAL_PRODUCT_RANGE = { low: 0x1290, high: 0x12af } as const;
/** T2 / iBridge ("Apple T2 Controller"), handled by usbmuxd. */
export const T2_BRIDGE_PRODUCT_ID = 0x8600;

/** Classifies an Apple product ID; null when it is none of the modes above. */
export function classifyProductId(productId: number): AppleProductId | null {
  const known = [...DFU_PRODUCT_IDS, ...RECOVERY_PRODUCT_IDS, ...RESTORE_PRODUCT_IDS].find((p) => p.productId === productId);
  if (known) return known;
  if ((productId >= NORMAL_PRODUCT_RANGE.low && productId <= NORMAL_PRODUCT_RANGE.high) || productId === T2_BRIDGE_PRODUCT_ID) {
    return { productId, mode: 'normal', label: productId === T2_BRIDGE_PRODUCT_ID ? 'T2 iBridge (usbmuxd)' : 'Normal (usbmuxd)' };
  }
  return null;
}

/** `0x1227`-style hex of a 16-bit ID. */
export function hex16(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}
