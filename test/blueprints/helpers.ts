/**
 * Fixture for blueprint tests: a fresh cache with a secret box, the real identity and profile
 * services, a test PKI (openssl) with its identity imported, a signed MDM enrollment profile
 * stored, and the blueprint service over the real Apple transport pointed at an emulator.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIdentityService, type IdentityService } from '../../main/app/identity-service';
import { createProfileService, type ProfileService } from '../../main/app/profile-service';
import { appleStagingTransport, DeviceLocks, type StagingTransport } from '../../main/bench';
import { createBlueprintService, type BlueprintDeps, type BlueprintService } from '../../main/blueprints';
import { AesGcmSecretBox, type SecretBox } from '../../main/secrets';
import { openDatabase, type Db } from '../../main/store';
import { makeTestPki, type TestPki } from '../support/pki';

/** Everything a blueprint test needs. */
export interface BlueprintFixture {
  dir: string;
  db: Db;
  box: SecretBox;
  pki: TestPki;
  identities: IdentityService;
  profiles: ProfileService;
  identityId: string;
  /** Stored signed enrollment profile (PayloadIdentifier com.acme.enroll). */
  enrollProfileId: string;
  deps(address: string, extra?: Partial<BlueprintDeps>): BlueprintDeps;
  service(address: string, extra?: Partial<BlueprintDeps>): BlueprintService;
  transport(address: string, timeoutMs?: number): StagingTransport;
  close(): void;
}

let shared: { dir: string; pki: TestPki } | null = null;

/** Creates a fixture in a new temp directory (the PKI is made once per process). */
export function makeFixture(): BlueprintFixture {
  shared ??= (() => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-bp-pki-'));
    return { dir: d, pki: makeTestPki(d, { keyType: 'rsa' }) };
  })();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-bp-'));
  const db = openDatabase(dir);
  const box = new AesGcmSecretBox(crypto.randomBytes(32));
  const identities = createIdentityService(db, box, 'test');
  const profiles = createProfileService(db, box, identities, 'test');
  const identityId = identities.importPkcs12(fs.readFileSync(shared.pki.p12Path), shared.pki.p12Password).id;
  const built = profiles.build({
    name: 'Acme Enrollment', identifier: 'com.acme.enroll', serverUrl: 'https://mdm.acme.test/mdm', topic: 'com.apple.mgmt.External.acme', os: 'ios',
    scep: { url: 'https://mdm.acme.test/scep', challenge: 'scep-secret-123', subject: '/CN=acme' }, anchors: [shared.pki.rootPem],
  });
  if (!built.profile) throw new Error(`fixture profile invalid: ${JSON.stringify(built.issues)}`);
  const enrollProfileId = profiles.sign(built.profile.id, identityId).id;
  const locks = new DeviceLocks();
  const transport = (address: string, timeoutMs?: number): StagingTransport => appleStagingTransport({ socketAddress: address, timeoutMs });
  const deps = (address: string, extra: Partial<BlueprintDeps> = {}): BlueprintDeps => ({
    db, box, actor: 'test', profiles, identities, transport: transport(address), deviceOptions: { socketAddress: address }, locks, ...extra,
  });
  return {
    dir, db, box, pki: shared.pki, identities, profiles, identityId, enrollProfileId, deps, transport,
    service: (address, extra) => createBlueprintService(deps(address, extra)),
    close: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
