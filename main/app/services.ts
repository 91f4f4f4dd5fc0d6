/**
 * The application services: one object, built over the cache and secret box, that the Electron
 * IPC dispatcher, the renderer test bridge and the CLI all call. No Electron import here.
 *
 *   const app = createAppServices({ dataDir, secretBox, actor });
 *   app.identities.importPkcs12(bytes, password, label)   → IdentityRow
 *   app.profiles.build(spec) / sign(profileId, identityId) / list() / get(id) / xml(id) / export(id) / verify(bytes, caPem?) / importFile(bytes, name)
 *   app.devices.list() / info(udid) / pair(udid) / profiles(udid) / installProfile(udid, bytes, label) / watch(cb)
 *   app.dep.servers.add / uploadToken / testConnection / sync / devices …; app.dep.profiles.create / assign / pushPending …
 *   app.blueprints.list / create / apply / export / import / setAutoApply / startAutoApply / logs
 *   app.sync.configure / runOnce / status / conflicts / resolve / start / stop
 *   app.inventory.list / register / retire / wipe / delete / exportCsv; app.auditTrail.list / exportCsv
 *   app.supervision.organizations / prepare / erase / rename / getValues / pairSupervised / installProfileSilent
 *   app.registration.users / settings / templates / invitations / verifyPin / sheetsPdf
 *   app.bench.stage({ udids?, wifi?, enrollmentProfileId }, onProgress) → StageSummary
 *   app.audit(limit?) → AuditEntry[]
 *   app.close()
 */
import { appleStagingTransport, stageDevices, type StagingTransport } from '../bench';
import { buildWifiProfile, inspectProfile, type WifiEncryption } from '../profiles';
import type { SecretBox } from '../secrets';
import { listAudit, markStaleRunsInterrupted, openDatabase, type AuditEntry, type Db } from '../store';
import { createDeviceService, type DeviceService } from './device-service';
import { createIdentityService, type IdentityService } from './identity-service';
import { createProfileService, type ProfileService } from './profile-service';
import type { DeviceStageProgress, StageSummary } from './types';
import { createRegistrationService, type RegistrationService } from '../registration';
import { createInventoryService, type InventoryService } from '../inventory';
import { createAuditService, type AuditService } from '../audit';
import { createSyncService, type SyncService } from '../sync';
import { localLinkHooks } from '../sync/local-links';
import { builtInExecutors, createBlueprintService, supervisionPrepareExecutor, type BlueprintService } from '../blueprints';
import { createSupervisionService, type SupervisionService } from '../organizations';
import { createDepProfileService, createDepServerService, type DepProfileService, type DepServerService } from '../dep';

/** Options of createAppServices. */
export interface AppServicesOptions {
  /** Data directory holding the SQLite cache and keyring. */
  dataDir: string;
  /** Seals private keys and profile bytes. */
  secretBox: SecretBox;
  /** Who acts, for the audit trail (e.g. "cli:alice", "app:alice"). */
  actor: string;
  /** usbmuxd address (`UNIX:/path` or `host:port`); default env USBMUXD_SOCKET_ADDRESS or the platform socket. */
  usbmuxAddress?: string;
  /** Replaces the device transport used by staging (default: the real usbmuxd/lockdownd/MCInstall one). */
  stagingTransport?: StagingTransport;
}

/** A staging request from the app or CLI. Secrets (the Wi-Fi password) stay in memory only. */
export interface StageInput {
  /** UDIDs; empty = every attached device. */
  udids?: string[];
  /** Wi-Fi network installed first; omitted = no Wi-Fi step. */
  wifi?: { ssid: string; password?: string; encryption?: WifiEncryption; hidden?: boolean };
  /** Stored (signed) enrollment profile id — or raw bytes (CLI `--enroll FILE`). */
  enrollmentProfileId?: string;
  enrollmentBytes?: Uint8Array;
  pairTimeoutMs?: number;
  concurrency?: number;
  /** Cancels the run: no further device starts, running devices stop before their next step. */
  signal?: AbortSignal;
}

/** The service object. */
export interface AppServices {
  readonly dataDir: string;
  readonly db: Db;
  readonly identities: IdentityService;
  readonly profiles: ProfileService;
  readonly devices: DeviceService;
  /** Automated Device Enrollment: ABM servers, tokens, device sync (servers) and DEP profiles (profiles). */
  readonly dep: { servers: DepServerService; profiles: DepProfileService };
  /** Device inventory (registration method, status, owner) with retire / wipe / delete / re-register and windowed queries. */
  readonly inventory: InventoryService;
  /** Audit trail filtering and CSV export (read-only). */
  readonly auditTrail: AuditService;
  /** Blueprints: ordered actions applied to every device dropped on them, auto-apply, per-device logs. */
  readonly blueprints: BlueprintService;
  /** Offline-first sync with the cloud tenant: settings, outbox, pull/push, conflicts, background runner (`start()`). */
  readonly sync: SyncService;
  /** Organizations with supervision identities; prepare, supervised pairing, erase, rename, settings. */
  readonly supervision: SupervisionService;
  /** Users, registration settings, invitations with one-time PINs, QR codes, invitation sheets. */
  readonly registration: RegistrationService;
  readonly bench: { stage(input: StageInput, onProgress?: (p: DeviceStageProgress) => void): Promise<StageSummary> };
  /** Newest audit rows first. */
  audit(limit?: number): AuditEntry[];
  /** Closes the cache. */
  close(): void;
}

/** Opens the cache in `dataDir` and wires every service. Throws when the cache cannot be opened. */
export function createAppServices(opts: AppServicesOptions): AppServices {
  const db = openDatabase(opts.dataDir);
  markStaleRunsInterrupted(db);
  const deviceOpts = { socketAddress: opts.usbmuxAddress };
  const identities = createIdentityService(db, opts.secretBox, opts.actor);
  const profiles = createProfileService(db, opts.secretBox, identities, opts.actor);
  const devices = createDeviceService(db, opts.actor, deviceOpts);
  const depServers = createDepServerService(db, opts.secretBox, opts.actor);
  // Pulled users, devices and tenant-side retires show in registration users and the inventory.
  const sync = createSyncService(db, opts.secretBox, opts.actor, { hooks: localLinkHooks(db, opts.actor) });
  const transport = opts.stagingTransport ?? appleStagingTransport(deviceOpts);
  const supervision = createSupervisionService(db, opts.secretBox, opts.actor, { usbmuxAddress: opts.usbmuxAddress });
  const blueprints = createBlueprintService({
    db, box: opts.secretBox, actor: opts.actor, transport, profiles, identities, deviceOptions: deviceOpts,
    executors: builtInExecutors().register('prepare', supervisionPrepareExecutor(supervision)),
  });

  const stage = async (input: StageInput, onProgress?: (p: DeviceStageProgress) => void): Promise<StageSummary> => {
    let bytes: Buffer;
    let name: string;
    if (input.enrollmentProfileId) {
      const p = profiles.get(input.enrollmentProfileId);
      bytes = p.bytes;
      name = p.row.name;
    } else if (input.enrollmentBytes) {
      bytes = Buffer.from(input.enrollmentBytes);
      name = 'enrollment profile';
    } else {
      throw new Error('choose the enrollment profile to install (a signed profile from the Profiles page, or --enroll FILE)');
    }
    const report = inspectProfile(bytes);
    if (!report.identifier) throw new Error('the enrollment profile has no PayloadIdentifier; build it with StageBench or check the file');
    if (report.signed && !report.valid) throw new Error(`the enrollment profile's signature does not verify: ${report.problems.join('; ')}`);
    if (!report.payloads.includes('com.apple.mdm')) throw new Error('the enrollment profile has no com.apple.mdm payload; choose an MDM enrollment profile');
    const wifi = input.wifi
      ? (() => {
          const built = buildWifiProfile({ ...input.wifi!, prefix: report.identifier!, organization: undefined });
          const errors = built.issues.filter((i) => i.severity === 'error');
          if (errors.length) throw new Error(`Wi-Fi profile is not valid: ${errors.map((e) => e.message).join('; ')}`);
          return { bytes: built.xml, payloadIdentifier: built.identifier, ssid: input.wifi!.ssid };
        })()
      : undefined;
    return stageDevices(db, transport, {
      udids: input.udids,
      wifiProfile: wifi,
      enrollmentProfile: { bytes, payloadIdentifier: report.identifier, name: report.displayName ?? name },
      pairTimeoutMs: input.pairTimeoutMs,
      concurrency: input.concurrency,
      signal: input.signal,
      actor: opts.actor,
    }, onProgress);
  };

  return {
    dataDir: opts.dataDir,
    db,
    identities,
    profiles,
    devices,
    dep: { servers: depServers, profiles: createDepProfileService(db, opts.secretBox, opts.actor, { apiFor: (id) => depServers.client(id) }) },
    registration: createRegistrationService(db, opts.secretBox, opts.actor),
    sync,
    inventory: createInventoryService(db, opts.actor),
    auditTrail: createAuditService(db),
    supervision,
    blueprints,
    bench: { stage },
    audit: (limit = 200) => listAudit(db, { limit }),
    close: () => {
      void sync.stop();
      db.close();
    },
  };
}
