/**
 * Operator instructions returned with a prepare result: what to do on the device after the host's
 * part is done. Apple TV HD (AppleTV5,3, USB-C service port; §6): the Wi-Fi profile goes first so
 * the TV reaches the corporate network, then the MDM enrollment profile; Apple TV Assistant must
 * be cancelled, because importing the MDM profile there fails.
 */
import type { PreparePlatform } from './platform';

/** Facts that decide the instructions. */
export interface InstructionFacts {
  platform: PreparePlatform;
  productType?: string;
  dep: boolean;
  supervised: boolean;
  wifiInstalled: boolean;
  enrollmentInstalled: boolean;
  /** True when profiles went through InstallProfileSilent (supervised); false = staged for approval. */
  silent: boolean;
  configurationUrl: boolean;
}

/** The instructions, in the order the operator follows them (may be empty). */
export function operatorInstructions(f: InstructionFacts): string[] {
  const out: string[] = [];
  const tv = f.platform === 'tvOS';
  if (f.dep) {
    out.push(`Continue Setup Assistant on the ${tv ? 'Apple TV' : 'device'}: it enrolls in MDM with the configuration assigned in Apple Business Manager.`);
  }
  if (tv && f.enrollmentInstalled) {
    out.push(`On the Apple TV${f.productType ? ` (${f.productType})` : ''}: cancel Apple TV Assistant when it appears — importing the MDM profile there fails. The ${f.wifiInstalled ? 'Wi-Fi profile (installed first, so the TV reaches the corporate network) and the ' : ''}MDM enrollment profile are already on the TV.`);
  }
  if (f.enrollmentInstalled && !f.silent) {
    out.push(tv
      ? 'Approve the enrollment profile on the Apple TV in Settings > General > Privacy > Profiles if it is listed as waiting.'
      : 'The device is not supervised, so the profiles were only staged: approve them in Settings > General > VPN & Device Management.');
  }
  if (f.configurationUrl && !f.dep) {
    out.push('Finish Setup Assistant on the device: it enrolls through the ConfigurationURL of the cloud configuration.');
  }
  return out;
}
