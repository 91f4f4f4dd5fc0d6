/**
 * Which skip-key platform a device belongs to, from lockdownd `DeviceClass` (§2.3): iPhone, iPad
 * and iPod run iOS/iPadOS (Apple's skip-key schema does not split them); AppleTV runs tvOS.
 */
import { PrepareInputError } from './errors';

/** Platforms StageBench prepares. */
export type PreparePlatform = 'iOS' | 'tvOS';

/** Maps `DeviceClass` to a platform. Throws PrepareInputError for classes StageBench cannot prepare (Watch, Mac, ...). */
export function platformOfDeviceClass(deviceClass: string | undefined): PreparePlatform {
  if (deviceClass === 'iPhone' || deviceClass === 'iPad' || deviceClass === 'iPod') return 'iOS';
  if (deviceClass === 'AppleTV') return 'tvOS';
  throw new PrepareInputError(`cannot prepare a device of class "${deviceClass ?? 'unknown'}"; StageBench prepares iPhone, iPad and Apple TV`);
}
