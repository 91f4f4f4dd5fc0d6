/**
 * The supervision service the app, IPC and CLI call: organizations with a supervision identity
 * (create / import / list / export the certificate), and the device operations that use one —
 * prepare (manual cloud configuration or Automated Device Enrollment), erase, rename, read values,
 * supervised pairing and silent (escalated) profile installs. Every operation is audited; the
 * organization's private key is sealed at rest and never logged or returned.
 *
 *   const sup = createSupervisionService(db, box, actor, { usbmuxAddress });
 *   sup.organizations.create({ name: 'Acme' }) → OrganizationRow
 *   await sup.prepare(udid, { orgId, supervised: true, skipAll: true, language: 'de' }) → PrepareResult
 */
import crypto from 'node:crypto';
import { performSupervisedPairing, escalate, installProfileSilent, withPairedSession, type PairingPolicy } from '../apple/supervision';
import { prepareDevice, eraseDevice, applyDeviceSettings, type PrepareResult, type PrepareSpec, type EraseResult } from '../apple/prepare';
import { LockdownClient, describePairRecord, type PairingPrompt } from '../apple/lockdown';
import { UsbmuxClient, DeviceNotFoundError } from '../apple/usbmux';
import type { DeviceOptions } from '../apple/device';
import type { PlistDict, PlistValue } from '../apple/wire';
import { exportSigningIdentity, signingIdentityFromStored, type SigningIdentity } from '../profiles';
import type { SecretBox } from '../secrets';
import { appendAudit, type Db } from '../store';
import { createSupervisionIdentity } from './create-identity';
import { OrganizationInputError } from './errors';
import { supervisionIdentityFromDer, supervisionIdentityFromPkcs12 } from './import-identity';
import { getOrganization, insertOrganization, listOrganizations, openOrganizationKey, organizationCertificate } from './repository';
import type { OrganizationInput, OrganizationRow, OrganizationSource } from './types';

/** Options of createSupervisionService. Times in milliseconds. */
export interface SupervisionServiceOptions {
  /** usbmuxd address (`UNIX:/path` or `host:port`); default env USBMUXD_SOCKET_ADDRESS or the platform socket. */
  usbmuxAddress?: string;
  /** Deadline of each device request (default 10 000). */
  timeoutMs?: number;
  /** How long the user has to tap Trust when a device must pair with the Trust dialog (default 120 000). */
  pairTimeoutMs?: number;
}

/** Organization operations. Errors: OrganizationInputError, DuplicateOrganizationError, OrganizationNotFoundError, Pkcs12PasswordError, SigningIdentityError, SecretBoxError. */
export interface OrganizationService {
  /** Creates an organization with a new self-signed RSA-2048 supervision identity (`validityDays` default 20 years). */
  create(input: OrganizationInput & { name: string; validityDays?: number }): OrganizationRow;
  /** Imports the identity of a .p12 (the password is used once, never stored). Name defaults to the certificate's O or CN. */
  importPkcs12(p12: Uint8Array, password: string, input?: OrganizationInput): OrganizationRow;
  /** Imports a DER (or PEM) certificate and its private key (cfgutil `-C cert.der -K key.der`). */
  importDer(certificate: Uint8Array, privateKey: Uint8Array, input?: OrganizationInput): OrganizationRow;
  /** Every organization, by name. */
  list(): OrganizationRow[];
  /** One organization by id or name. */
  get(ref: string): OrganizationRow;
  /** The supervision certificate (not the key), DER or PEM. */
  exportCertificate(ref: string, format?: 'der' | 'pem'): Buffer;
  /** Opens the identity (unseals the key) for device operations. */
  openIdentity(ref: string): SigningIdentity;
}

/** A prepare request: PrepareSpec without key material, naming the organization instead. */
export interface PrepareInput extends Omit<PrepareSpec, 'identity' | 'organization'> {
  /** Organization id or name: shown on the device; required to supervise. */
  orgId?: string;
}

/** Device values read by `getValues`: lockdownd keys (`Key` or `Domain:Key`) and the computed IsSupervised / CloudConfiguration / OrganizationName. */
export type DeviceValues = Record<string, PlistValue | null>;

/** Result of a supervised pairing (log-safe: no keys, no EscrowBag). */
export interface SupervisedPairResult {
  udid: string;
  HostID: string;
  SystemBUID: string;
  hasEscrowBag: boolean;
}

/** The supervision service. Device methods throw the errors of main/apple/prepare and main/apple/supervision. */
export interface SupervisionService {
  readonly organizations: OrganizationService;
  /** Prepares one device (see main/apple/prepare/prepare.ts). `onPrompt` is called if it must show the Trust dialog. */
  prepare(udid: string, input: PrepareInput, onPrompt?: (p: PairingPrompt) => void): Promise<PrepareResult>;
  /** Erases one device (MCInstall EraseDevice) and deletes the stale pair record. */
  erase(udid: string, input?: { orgId?: string; preserveDataPlan?: boolean; disallowProximitySetup?: boolean; waitForReattachMs?: number }): Promise<EraseResult>;
  /** Sets DeviceName. */
  rename(udid: string, name: string, orgId?: string): Promise<void>;
  /** Reads values (see DeviceValues); missing ones are null. */
  getValues(udid: string, keys: readonly string[], orgId?: string): Promise<DeviceValues>;
  /** Pairs without the Trust dialog using the organization identity (replaces an existing pair record). */
  pairSupervised(udid: string, orgId: string): Promise<SupervisedPairResult>;
  /** Escalate + InstallProfileSilent with the organization identity (supervised devices only). */
  installProfileSilent(udid: string, profile: Uint8Array, orgId: string): Promise<void>;
}

function fingerprint(der: Buffer): string {
  return crypto.createHash('sha256').update(der).digest('hex').toUpperCase();
}

function subjectField(subject: string, field: 'O' | 'CN'): string | undefined {
  return subject.split('\n').find((l) => l.startsWith(`${field}=`))?.slice(field.length + 1);
}

function clean(v: string | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

/**
 * Builds the supervision service over the cache `db` and secret box `box`; `actor` is recorded in
 * the audit trail. `box` is only used when a key is sealed or opened, so a box that opens lazily
 * lets `list` / `exportCertificate` run without the passphrase.
 */
export function createSupervisionService(db: Db, box: SecretBox, actor: string, opts: SupervisionServiceOptions = {}): SupervisionService {
  const deviceOpts: DeviceOptions = { socketAddress: opts.usbmuxAddress, timeoutMs: opts.timeoutMs };
  const audit = (action: string, target: string, outcome: 'success' | 'failure', detail: string): void => {
    appendAudit(db, { actor, action, target, outcome, detail });
  };

  const store = (identity: SigningIdentity, source: OrganizationSource, input: OrganizationInput): OrganizationRow => {
    const cert = identity.certificate;
    const name = clean(input.name) ?? clean(subjectField(cert.subject, 'O')) ?? clean(subjectField(cert.subject, 'CN'));
    if (!name) throw new OrganizationInputError('the certificate names no organization (no O or CN); give --name NAME');
    const der = Buffer.from(identity.certificateDer);
    const row: OrganizationRow = {
      id: crypto.randomUUID(),
      name,
      department: clean(input.department),
      email: clean(input.email),
      phone: clean(input.phone),
      address: clean(input.address),
      magic: crypto.randomUUID().toUpperCase(),
      source,
      keyType: identity.keyAlgorithm,
      subject: identity.subject,
      fingerprintSha256: fingerprint(der),
      notBefore: new Date(cert.validFrom).toISOString(),
      notAfter: new Date(cert.validTo).toISOString(),
      createdAt: new Date().toISOString(),
    };
    const key = exportSigningIdentity(identity).privateKeyPkcs8Der;
    db.transaction(() => {
      insertOrganization(db, box, row, der, key);
      appendAudit(db, { actor, action: source === 'created' ? 'org.create' : 'org.import', target: row.name, outcome: 'success', detail: `${source}; certificate ${row.fingerprintSha256}` });
    })();
    key.fill(0);
    return row;
  };

  const organizations: OrganizationService = {
    create(input) {
      return store(createSupervisionIdentity(input.name, input.validityDays), 'created', input);
    },
    importPkcs12(p12, password, input = {}) {
      return store(supervisionIdentityFromPkcs12(p12, password), 'imported-p12', input);
    },
    importDer(certificate, privateKey, input = {}) {
      return store(supervisionIdentityFromDer(certificate, privateKey), 'imported-der', input);
    },
    list: () => listOrganizations(db),
    get: (ref) => getOrganization(db, ref),
    exportCertificate(ref, format = 'der') {
      const der = organizationCertificate(db, getOrganization(db, ref).id);
      if (format === 'der') return der;
      return Buffer.from(`-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`, 'utf8');
    },
    openIdentity(ref) {
      const row = getOrganization(db, ref);
      const m = openOrganizationKey(db, box, row.id);
      return signingIdentityFromStored({ certificateDer: m.certificateDer, chainDer: [], privateKeyPkcs8Der: m.privateKeyPkcs8Der });
    },
  };

  const policyFor = (orgId: string | undefined, onPrompt?: (p: PairingPrompt) => void): PairingPolicy => ({
    identity: orgId ? organizations.openIdentity(orgId) : null,
    allowTrustPrompt: true,
    pairTimeoutMs: opts.pairTimeoutMs,
    onPrompt,
  });

  /** Runs `op`, auditing success or failure (the error message only: it never holds secrets). */
  async function audited<T>(action: string, udid: string, detail: string, op: () => Promise<T>, ok: (r: T) => string = () => ''): Promise<T> {
    try {
      const r = await op();
      audit(action, udid, 'success', [detail, ok(r)].filter(Boolean).join('; '));
      return r;
    } catch (err) {
      audit(action, udid, 'failure', [detail, (err as Error).message].filter(Boolean).join('; '));
      throw err;
    }
  }

  return {
    organizations,

    prepare(udid, input, onPrompt) {
      const { orgId, ...rest } = input;
      const org = orgId ? organizations.get(orgId) : null;
      const spec: PrepareSpec = { ...rest };
      if (org) {
        spec.identity = organizations.openIdentity(org.id);
        spec.organization = {
          name: org.name, magic: org.magic, department: org.department ?? undefined, email: org.email ?? undefined,
          phone: org.phone ?? undefined, address: org.address ?? undefined, certificateDer: spec.identity.certificateDer,
        };
      }
      const detail = `${input.dep ? 'dep' : 'manual'}${input.supervised ? ', supervised' : ''}${org ? `, organization ${org.name}` : ''}`;
      return audited('device.prepare', udid, detail, () => prepareDevice(udid, spec, policyFor(undefined, onPrompt), deviceOpts),
        (r) => `platform ${r.platform}; profiles ${r.profiles.map((p) => p.PayloadIdentifier).join(', ') || 'none'}`);
    },

    erase(udid, input = {}) {
      const policy = policyFor(input.orgId);
      return audited('device.erase', udid, `PreserveDataPlan ${input.preserveDataPlan !== false}`, () => eraseDevice(udid, policy, input, deviceOpts));
    },

    rename(udid, name, orgId) {
      const policy = policyFor(orgId);
      return audited('device.rename', udid, `DeviceName ${JSON.stringify(name)}`, () =>
        withPairedSession(udid, policy, async (s) => {
          await applyDeviceSettings(s.lockdown, { deviceName: name });
        }, deviceOpts));
    },

    getValues(udid, keys, orgId) {
      if (keys.length === 0) throw new OrganizationInputError('name at least one key, e.g. DeviceName ProductVersion IsSupervised');
      const policy = policyFor(orgId);
      return withPairedSession(udid, policy, async (s) => {
        const out: DeviceValues = {};
        let cc: PlistDict | null | undefined;
        const cloud = async (): Promise<PlistDict | null> => {
          if (cc === undefined) cc = await (await s.mcinstall()).getCloudConfiguration();
          return cc;
        };
        for (const key of keys) {
          if (key === 'IsSupervised') out[key] = (await cloud())?.IsSupervised === true;
          else if (key === 'CloudConfiguration') out[key] = (await cloud()) ?? null;
          else if (key === 'OrganizationName') out[key] = (await cloud())?.OrganizationName ?? null;
          else {
            const i = key.lastIndexOf(':');
            const domain = i > 0 ? key.slice(0, i) : undefined;
            const name = i > 0 ? key.slice(i + 1) : key;
            try {
              out[key] = (await s.lockdown.getValue(domain, name)) ?? null;
            } catch (err) {
              if ((err as Error).name !== 'LockdownError') throw err;
              out[key] = null;
            }
          }
        }
        return out;
      }, deviceOpts);
    },

    pairSupervised(udid, orgId) {
      const identity = organizations.openIdentity(orgId);
      return audited('device.supervised-pair', udid, `organization ${organizations.get(orgId).name}`, async () => {
        const usbmux = new UsbmuxClient({ socketAddress: deviceOpts.socketAddress, timeoutMs: deviceOpts.timeoutMs });
        const devices = await usbmux.listDevices();
        const device = devices.find((d) => d.udid.toUpperCase() === udid.toUpperCase());
        if (!device) throw new DeviceNotFoundError(udid, devices.map((d) => d.udid));
        const client = await LockdownClient.connect(usbmux, device, { timeoutMs: deviceOpts.timeoutMs });
        try {
          const record = await performSupervisedPairing(client, identity);
          return { udid: device.udid, ...describePairRecord(record) };
        } finally {
          client.close();
        }
      });
    },

    installProfileSilent(udid, profile, orgId) {
      const identity = organizations.openIdentity(orgId);
      return audited('device.install-profile-silent', udid, `organization ${organizations.get(orgId).name}`, () =>
        withPairedSession(udid, { identity, allowTrustPrompt: false }, async (s) => {
          const mc = await s.mcinstall();
          await escalate(mc, identity, s.udid);
          await installProfileSilent(mc, profile);
        }, deviceOpts));
    },
  };
}

