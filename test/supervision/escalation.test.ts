/**
 * MCInstall escalation against the emulator: Escalate with the supervisor certificate →
 * Challenge → EscalateResponse (CMS) → ProceedWithKeybagMigration → InstallProfileSilent.
 * Only a device supervised by that organization escalates; InstallProfileSilent is refused on an
 * unescalated connection; the supervision service does it end to end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MCInstallError, withSession } from '../../main/apple';
import { EscalationRefusedError, escalate, installProfileSilent, pairWithPolicy } from '../../main/apple/supervision';
import { createSupervisionIdentity } from '../../main/organizations';
import type { SigningIdentity } from '../../main/profiles';
import { startEmulator, type Emulator } from '../support/emulator';
import { openBench, wifiProfile, type Bench } from '../prepare/helpers';

describe('escalation and InstallProfileSilent', () => {
  let emu: Emulator;
  let org: SigningIdentity;
  let other: SigningIdentity;
  let opts: { socketAddress: string };
  let bench: Bench;

  before(async () => {
    org = createSupervisionIdentity('Acme Escalation');
    other = createSupervisionIdentity('Other Org');
    emu = await startEmulator({ devices: 0 });
    opts = { socketAddress: emu.address };
    bench = openBench(emu.address);
  });
  after(async () => {
    bench.cleanup();
    await emu.close();
  });

  it('escalates a device supervised by the organization and installs silently', async () => {
    const d = emu.attach('ipad', { cloudConfiguration: { IsSupervised: true, AllowPairing: true, SupervisorHostCertificates: [org.certificateDer] } });
    await pairWithPolicy(d.udid, { identity: org }, opts);
    await withSession(d.udid, async (s) => {
      const mc = await s.mcinstall();
      await escalate(mc, org, s.udid);
      await installProfileSilent(mc, wifiProfile('Escalated'));
    }, opts);
    const p = d.profiles.find((x) => x.PayloadIdentifier === 'com.acme.prepare.wifi.escalated');
    assert.equal(p?.silent, true);
    const types = d.requestLog.filter((e) => e.service === 'com.apple.mobile.MCInstall').map((e) => `${e.request}:${e.detail.Status}`);
    assert.deepEqual(types, ['Escalate:Acknowledged', 'EscalateResponse:Acknowledged', 'ProceedWithKeybagMigration:Acknowledged', 'InstallProfileSilent:Acknowledged']);
  });

  it('refuses escalation by another organization and on an unsupervised device; InstallProfileSilent needs escalation', async () => {
    const supervised = emu.attach('iphone', { cloudConfiguration: { IsSupervised: true, AllowPairing: true, SupervisorHostCertificates: [org.certificateDer] } });
    const plain = emu.attach('iphone', { cloudConfiguration: { IsSupervised: false, AllowPairing: true, SupervisorHostCertificates: [org.certificateDer] } });
    for (const d of [supervised, plain]) await pairWithPolicy(d.udid, {}, opts);
    await withSession(supervised.udid, async (s) => {
      const mc = await s.mcinstall();
      await assert.rejects(escalate(mc, other, s.udid), (err: unknown) => err instanceof EscalationRefusedError && err.status === 'CertificateRejected');
      await assert.rejects(installProfileSilent(mc, wifiProfile('NoEscalation')), (err: unknown) => err instanceof MCInstallError && err.status === 'Error');
    }, opts);
    await withSession(plain.udid, async (s) => {
      const mc = await s.mcinstall();
      await assert.rejects(escalate(mc, org, s.udid), /not supervised by this organization/);
      await assert.rejects(installProfileSilent(mc, wifiProfile('NoEscalation')), MCInstallError);
    }, opts);
    assert.equal(supervised.profiles.length + plain.profiles.length, 0);
  });

  it('a signed response by the wrong key is SignedRequestRejected and does not escalate', async () => {
    const d = emu.attach('iphone', { cloudConfiguration: { IsSupervised: true, AllowPairing: true, SupervisorHostCertificates: [org.certificateDer] } });
    await pairWithPolicy(d.udid, {}, opts);
    await withSession(d.udid, async (s) => {
      const mc = await s.mcinstall();
      await assert.rejects(escalate(mc, { ...org, privateKey: other.privateKey }, s.udid), (err: unknown) => err instanceof EscalationRefusedError && err.status === 'SignedRequestRejected');
      await assert.rejects(installProfileSilent(mc, wifiProfile('Forged')), MCInstallError);
    }, opts);
  });

  it('the supervision service installs silently with a stored organization (supervised pairing, no Trust dialog)', async () => {
    const row = bench.sup.organizations.create({ name: 'Acme Service Org' });
    const cert = bench.sup.organizations.exportCertificate(row.id);
    const d = emu.attach('iphone', { trust: 'deny', cloudConfiguration: { IsSupervised: true, AllowPairing: false, SupervisorHostCertificates: [cert] } });
    await bench.sup.installProfileSilent(d.udid, wifiProfile('Service'), row.id);
    assert.equal(d.profiles[0]?.silent, true);
    assert.equal(d.pairAttempts, 0);
    const other2 = bench.sup.organizations.create({ name: 'Other Service Org' });
    const u = emu.attach('iphone', { trust: 'deny' });
    await assert.rejects(bench.sup.installProfileSilent(u.udid, wifiProfile('Service'), other2.id));
    const audit = bench.db.prepare("SELECT action, outcome FROM audit_log WHERE action LIKE 'device.install-profile-silent' ORDER BY id").all() as { action: string; outcome: string }[];
    assert.deepEqual(audit.map((a) => a.outcome), ['success', 'failure']);
  });
});
