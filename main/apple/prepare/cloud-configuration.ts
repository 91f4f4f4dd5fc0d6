/**
 * The `CloudConfiguration` dictionary of a manual prepare (MCInstall SetCloudConfiguration,
 * ../shared/reference/device-protocols.md §3.5–3.6): Apple's key names and types as validated by
 * the device's `MCCloudConfigurationWriter`. The device itself then fills ConfigurationSource,
 * CloudConfigurationUIComplete / ConfigurationWasApplied (no ConfigurationURL) and forces
 * IsMandatory true / IsMDMUnremovable false; prepare reports such changes after reading back.
 */
import type { PlistDict } from '../wire';
import { PrepareInputError } from './errors';
import type { PreparePlatform } from './platform';
import { resolveSkipKeys } from './skip-keys';

/** The organisation shown on the device and, when supervising, its supervision certificate. */
export interface CloudOrganization {
  /** OrganizationName (required when supervising). */
  name: string;
  /** OrganizationMagic: a UUID identifying the organisation (Apple Configurator generates one per organisation). */
  magic: string;
  department?: string;
  email?: string;
  phone?: string;
  address?: string;
  /** DER certificate of the supervision identity (SupervisorHostCertificates). */
  certificateDer?: Uint8Array;
}

/** What a manual prepare asks for. Booleans default as noted. */
export interface CloudConfigurationSpec {
  /** IsSupervised (default false). Needs `organization` with `certificateDer`. */
  supervised?: boolean;
  organization?: CloudOrganization;
  /** AllowPairing (default true). false = the device pairs only with hosts holding the supervision identity, and deletes existing pairings. */
  allowPairing?: boolean;
  /** IsMandatory (default true): the user cannot skip MDM enrollment in Setup Assistant. */
  mandatory?: boolean;
  /** IsMDMUnremovable (default false). */
  mdmUnremovable?: boolean;
  /** SkipSetup keys (Apple names) to skip. */
  skip?: readonly string[];
  /** Skip every Setup Assistant pane the platform knows. */
  skipAll?: boolean;
  /** ConfigurationURL: the MDM enrollment URL the device fetches in Setup Assistant (https). */
  configurationUrl?: string;
  /** AutoAdvanceSetup (tvOS only): Setup Assistant advances by itself. */
  autoAdvanceSetup?: boolean;
}

/** The built dictionary plus skip-key notes. */
export interface BuiltCloudConfiguration {
  configuration: PlistDict;
  warnings: string[];
}

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

/**
 * Validates `spec` for a device of `platform` running `osVersion` and returns the
 * CloudConfiguration to send. Throws PrepareInputError naming the problem (supervision without an
 * organisation certificate, a bad URL, AutoAdvanceSetup on iOS, invalid skip keys, ...).
 */
export function buildCloudConfiguration(spec: CloudConfigurationSpec, platform: PreparePlatform, osVersion?: string): BuiltCloudConfiguration {
  const supervised = spec.supervised === true;
  const org = spec.organization;
  if (supervised && (!org || !org.certificateDer || org.certificateDer.byteLength === 0)) {
    throw new PrepareInputError('supervising needs an organization with a supervision identity: create or import one (stagebench org create|import) and pass --org ID');
  }
  if (org) {
    if (!org.name.trim()) throw new PrepareInputError('the organization name is empty; give the organization a name');
    if (!UUID.test(org.magic)) throw new PrepareInputError('OrganizationMagic must be a UUID; re-create the organization');
  }
  if (spec.allowPairing === false && !supervised) {
    throw new PrepareInputError('--forbid-pairing needs --supervised: an unsupervised device that forbids pairing could never be managed from a host again');
  }
  if (spec.autoAdvanceSetup !== undefined && platform !== 'tvOS') {
    throw new PrepareInputError('AutoAdvanceSetup (--auto-advance) is a tvOS option; leave it out for iPhone and iPad');
  }
  if (spec.configurationUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(spec.configurationUrl);
    } catch {
      throw new PrepareInputError(`ConfigurationURL "${spec.configurationUrl}" is not a URL; give the MDM enrollment URL, e.g. https://mdm.example.com/enroll`);
    }
    if (url.protocol !== 'https:') throw new PrepareInputError(`ConfigurationURL must use https (got ${url.protocol}); devices refuse plain-HTTP enrollment`);
  }
  const skip = resolveSkipKeys(spec.skip ?? [], spec.skipAll === true, platform, osVersion);

  const cc: PlistDict = {
    AllowPairing: spec.allowPairing !== false,
    IsSupervised: supervised,
    IsMandatory: spec.mandatory !== false,
    IsMDMUnremovable: spec.mdmUnremovable === true,
    SkipSetup: skip.keys,
  };
  if (supervised) cc.IsMultiUser = false;
  if (org) {
    cc.OrganizationName = org.name.trim();
    cc.OrganizationMagic = org.magic.toUpperCase();
    if (org.department) cc.OrganizationDepartment = org.department;
    if (org.email) cc.OrganizationEmail = org.email;
    if (org.phone) cc.OrganizationPhone = org.phone;
    if (org.address) cc.OrganizationAddress = org.address;
  }
  if (supervised) cc.SupervisorHostCertificates = [Buffer.from(org!.certificateDer!)];
  if (spec.configurationUrl !== undefined) cc.ConfigurationURL = spec.configurationUrl;
  if (spec.autoAdvanceSetup !== undefined) cc.AutoAdvanceSetup = spec.autoAdvanceSetup;
  return { configuration: cc, warnings: skip.warnings };
}
