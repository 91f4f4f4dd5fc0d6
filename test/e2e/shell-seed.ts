/**
 * Seeds a bench cache for the shell E2E tests: a signing identity, a signed enrollment profile,
 * `n` tenant inventory entries (iPhones, iPads, Apple TVs) and the audit rows those writes make.
 */
import fs from 'node:fs';
import type { AppServices } from '../../main/app/services';
import { appendAudit } from '../../main/store';
import type { TestPki } from '../support/pki';

/** What was seeded. */
export interface ShellSeed {
  signedProfileId: string;
  /** Serial numbers of the seeded devices, in insertion order. */
  serials: string[];
}

const PLATFORMS = ['iOS', 'iPadOS', 'tvOS'] as const;
const MODELS = ['iPhone 15', 'iPad Air (M2)', 'Apple TV 4K (3rd generation)'] as const;

/**
 * Seeds `services`: entry i is a `PLATFORMS[i % 3]` device with serial `SEED` + i (6 digits),
 * UDID `00008030-…i`, checked in i hours after 2026-01-05 08:00Z; Apple TVs come from ABM without
 * an owner, the others from invitations of user{i % 20}@example.com.
 */
export function seedShell(services: AppServices, pki: TestPki, n = 240): ShellSeed {
  const identity = services.identities.importPkcs12(fs.readFileSync(pki.p12Path), pki.p12Password, 'Shell signer');
  const built = services.profiles.build({
    name: 'Shell enrollment',
    identifier: 'com.example.e2e.shell',
    os: 'ios',
    serverUrl: 'https://mdm.example.com/mdm',
    topic: 'com.apple.mgmt.External.e2e-shell',
    scep: { url: 'https://mdm.example.com/scep', keysize: 2048, challenge: 'shell-challenge' },
  });
  if (!built.profile) throw new Error(`seed profile invalid: ${JSON.stringify(built.issues)}`);
  const signed = services.profiles.sign(built.profile.id, identity.id);
  const serials: string[] = [];
  const start = Date.parse('2026-01-05T08:00:00Z');
  for (let i = 0; i < n; i++) {
    const serial = `SEED${String(i).padStart(6, '0')}`;
    const tv = i % 3 === 2;
    services.inventory.register({
      platform: PLATFORMS[i % 3], osVersion: '18.5', model: MODELS[i % 3], serialNumber: serial, udid: `00008030-${String(i).padStart(16, '0')}`,
      owner: tv ? null : `user${i % 20}@example.com`, method: tv ? 'ABM' : 'invitation', lastCheckIn: new Date(start + i * 3600_000).toISOString(),
    });
    serials.push(serial);
  }
  appendAudit(services.db, { actor: 'e2e-seed', action: 'device.stage', target: '00008030-0000000000000001', outcome: 'failure', detail: 'pair: the user denied the Trust prompt' });
  return { signedProfileId: signed.id, serials };
}
