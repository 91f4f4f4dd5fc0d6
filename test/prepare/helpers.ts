/**
 * Shared setup of the supervision and prepare tests: a temp cache with a real SQLite file and a
 * SecretBox, the supervision service pointed at a device emulator, and minimal Wi-Fi / MDM
 * enrollment profiles (XML plists the emulator's profile checks accept).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeXmlPlist } from '../../main/apple/wire';
import { createSupervisionService, type SupervisionService } from '../../main/organizations';
import { buildWifiProfile } from '../../main/profiles';
import { AesGcmSecretBox } from '../../main/secrets';
import { openDatabase, type Db } from '../../main/store';

/** A cache + service for one test file. `cleanup()` closes and removes it. */
export interface Bench {
  dir: string;
  db: Db;
  sup: SupervisionService;
  cleanup(): void;
}

/** Opens a fresh cache in a temp dir and a supervision service using `usbmuxAddress`. */
export function openBench(usbmuxAddress: string, prefix = 'sb-sup-'): Bench {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const db = openDatabase(dir);
  const sup = createSupervisionService(db, new AesGcmSecretBox(randomBytes(32)), 'test:bench', { usbmuxAddress, pairTimeoutMs: 2000 });
  return {
    dir, db, sup,
    cleanup: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Wi-Fi profile (com.apple.wifi.managed) with identifier `com.acme.prepare.wifi.<ssid>`. */
export function wifiProfile(ssid = 'Corp'): Buffer {
  return buildWifiProfile({ ssid, password: 'corp-wifi-pass-1', prefix: 'com.acme.prepare' }).xml;
}

/** A minimal MDM enrollment profile with identifier `com.acme.enroll`. */
export function enrollmentProfile(): Buffer {
  return encodeXmlPlist({
    PayloadType: 'Configuration', PayloadIdentifier: 'com.acme.enroll', PayloadUUID: 'B0000000-0000-4000-8000-000000000001',
    PayloadVersion: 1, PayloadDisplayName: 'Acme MDM', PayloadRemovalDisallowed: false,
    PayloadContent: [
      { PayloadType: 'com.apple.security.scep', PayloadIdentifier: 'com.acme.enroll.scep', PayloadUUID: 'B0000000-0000-4000-8000-000000000002', PayloadVersion: 1,
        PayloadContent: { URL: 'https://mdm.acme.test/scep', Challenge: 'scep-challenge-1', Keysize: 2048, 'Key Type': 'RSA' } },
      {
        PayloadType: 'com.apple.mdm', PayloadIdentifier: 'com.acme.enroll.mdm', PayloadUUID: 'B0000000-0000-4000-8000-000000000003', PayloadVersion: 1,
        IdentityCertificateUUID: 'B0000000-0000-4000-8000-000000000002', ServerURL: 'https://mdm.acme.test/mdm', CheckInURL: 'https://mdm.acme.test/checkin',
        Topic: 'com.apple.mgmt.External.acme', AccessRights: 8191, SignMessage: true,
      },
    ],
  });
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
