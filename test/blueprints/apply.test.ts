/**
 * Applying blueprints to emulated devices over the real wire protocols (usbmuxd → lockdownd TLS →
 * MCInstall): several devices at once, the {counter} sequence, per-device signed profiles, resume
 * after an unplug mid-run, retry of a transient timeout, the per-UDID lock, auto-apply on attach,
 * a plugged-in prepare executor, and erase.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionExecutorRegistry, builtInExecutors, type BlueprintService } from '../../main/blueprints';
import type { DeviceRunProgress } from '../../main/bench';
import { inspectProfile } from '../../main/profiles';
import { getRun } from '../../main/store';
import { startEmulator, type Emulator } from '../support/emulator';
import { makeFixture, type BlueprintFixture } from './helpers';

let fx: BlueprintFixture;
const emulators: Emulator[] = [];
before(() => {
  fx = makeFixture();
});
after(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  fx.close();
});

async function emulator(opts: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const e = await startEmulator(opts);
  emulators.push(e);
  return e;
}

const installed = (emu: Emulator, udid: string): string[] => emu.device(udid)!.profiles.map((p) => p.PayloadIdentifier);

test('apply to several devices: Wi-Fi, per-device signed enrollment profile, stored profile, names from a counter, locale', async () => {
  const emu = await emulator({ devices: 3, seed: 'bp-apply' });
  const svc = fx.service(emu.address);
  svc.create({
    name: 'Lab',
    actions: [
      { type: 'wifi', ssid: 'Corp', password: 'wifi-secret-pass' },
      { type: 'enrollment-profile', identityId: fx.identityId, template: {
        name: 'Acme {serial}', identifier: 'com.acme.device.{serial}', serverUrl: 'https://mdm.acme.test/mdm?udid={udid}', topic: 'com.apple.mgmt.External.acme',
        scep: { url: 'https://mdm.acme.test/scep', subject: '/CN={serial}', challenge: 'scep-secret-123' },
      } },
      { type: 'install-profile', profileId: fx.enrollProfileId },
      { type: 'device-name', pattern: 'Lab-{model}-{counter:3}', counterStart: 1 },
      { type: 'locale', language: 'de', region: 'de_DE', timeZone: 'Europe/Berlin' },
    ],
  });
  const progress: DeviceRunProgress[] = [];
  const summary = await svc.apply('Lab', { onProgress: (p) => progress.push(p) });
  assert.equal(summary.failed, 0, JSON.stringify(summary.devices.map((d) => d.error)));
  assert.equal(summary.succeeded, 3);
  const names = new Set<string>();
  for (const dev of emu.devices) {
    const serial = dev.identity.SerialNumber;
    assert.deepEqual(installed(emu, dev.udid), ['com.stagebench.blueprint.lab.wifi.corp', `com.acme.device.${serial}`, 'com.acme.enroll']);
    const own = dev.profiles.find((p) => p.PayloadIdentifier === `com.acme.device.${serial}`)!;
    assert.equal(own.signed, true, 'per-device profile arrives CMS-signed');
    const report = inspectProfile(own.raw, { caPem: fx.pki.rootPem });
    assert.equal(report.valid, true, report.problems.join('; '));
    assert.match(report.content.toString('utf8'), new RegExp(`udid=${dev.udid}`));
    names.add(String(dev.defaultOverrides.DeviceName));
    assert.match(String(dev.defaultOverrides.DeviceName), new RegExp(`^Lab-${dev.model.DeviceClass}-00[123]$`));
    assert.equal(dev.domains.get('com.apple.international')?.Language, 'de');
    assert.equal(dev.domains.get('com.apple.international')?.Locale, 'de_DE');
    assert.equal(dev.defaultOverrides.TimeZone, 'Europe/Berlin');
  }
  assert.deepEqual([...names].map((n) => n.slice(-3)).sort(), ['001', '002', '003']);
  const states = new Set(progress.map((p) => p.device));
  for (const s of ['attached', 'paired', 'running']) assert.ok(states.has(s as DeviceRunProgress['device']), `state ${s} reported`);
  const run = getRun(fx.db, summary.runId)!;
  assert.equal(run.run.status, 'succeeded');
  assert.deepEqual([...new Set(run.steps.map((s) => s.step))].sort(), ['device-name', 'enrollment-profile', 'info', 'locale', 'pair', 'profile', 'verify', 'wifi-profile'].sort());
  const logs = svc.logs({ runId: summary.runId });
  assert.ok(logs.some((l) => /state running → done/.test(l.message)));
  assert.ok(logs.every((l) => !/wifi-secret-pass|scep-secret-123/.test(l.message)), 'no secret in the device logs');

  const again = await svc.apply('Lab', { udids: [emu.devices[0].udid] });
  assert.equal(again.failed, 0);
  assert.match(String(emu.devices[0].defaultOverrides.DeviceName), /-004$/, 'the counter continues across runs');
  assert.equal(svc.get('Lab').nameCounter, 4);
});

test('a device unplugged mid-run resumes the remaining steps when the same UDID comes back', async () => {
  const emu = await emulator({ devices: 2, seed: 'bp-resume', knobs: (i) => (i === 0 ? { detachAfter: { request: 'InstallProfile', occurrence: 2 } } : {}) });
  const [flaky, steady] = emu.devices;
  const svc: BlueprintService = fx.service(emu.address);
  svc.create({ name: 'Resume', actions: [{ type: 'wifi', ssid: 'Corp', password: 'wifi-secret-pass' }, { type: 'install-profile', profileId: fx.enrollProfileId }, { type: 'device-name', pattern: 'R-{serial}' }] });
  let replugged = false;
  const summary = await svc.apply('Resume', {
    reattachTimeoutMs: 10_000,
    onProgress: (p) => {
      if (p.udid === flaky.udid && p.device === 'waiting' && !replugged) {
        replugged = true;
        setTimeout(() => emu.attach(flaky.udid), 100);
      }
    },
  });
  assert.equal(replugged, true, 'the runner waited for the device');
  assert.equal(summary.failed, 0, JSON.stringify(summary.devices.map((d) => d.error)));
  const r = summary.devices.find((d) => d.udid === flaky.udid)!;
  assert.equal(r.resumes, 1);
  assert.deepEqual(installed(emu, flaky.udid), ['com.stagebench.blueprint.resume.wifi.corp', 'com.acme.enroll']);
  assert.equal(emu.device(flaky.udid)!.defaultOverrides.DeviceName, `R-${flaky.identity.SerialNumber}`);
  const wifiInstalls = emu.device(flaky.udid)!.requestLog.filter((e) => e.request === 'InstallProfile' && e.detail.PayloadIdentifier === 'com.stagebench.blueprint.resume.wifi.corp');
  assert.equal(wifiInstalls.length, 1, 'the finished Wi-Fi step was not repeated after the re-attach');
  assert.equal(emu.device(flaky.udid)!.requestLog.filter((e) => e.request === 'Pair').length, 1, 'not paired again');
  assert.equal(summary.devices.find((d) => d.udid === steady.udid)!.resumes, 0);
  const log = svc.logs({ runId: summary.runId, udid: flaky.udid }).map((l) => l.message).join('\n');
  assert.match(log, /device detached .*waiting up to 10 s/);
  assert.match(log, /re-attached; resuming at profile/);
  assert.match(log, /state running → waiting/);
  assert.match(log, /state waiting → attached/);
});

test('an unplugged device that does not come back fails with a clear error; the others finish', async () => {
  const emu = await emulator({ devices: 2, seed: 'bp-gone', knobs: (i) => (i === 0 ? { detachAfter: { request: 'InstallProfile' } } : {}) });
  const svc = fx.service(emu.address);
  svc.create({ name: 'Gone', actions: [{ type: 'install-profile', profileId: fx.enrollProfileId }] });
  const t0 = Date.now();
  const summary = await svc.apply('Gone', { reattachTimeoutMs: 400 });
  assert.ok(Date.now() - t0 < 8_000);
  assert.equal(summary.succeeded, 1);
  const bad = summary.devices.find((d) => !d.ok)!;
  assert.match(bad.error!, /^profile: device detached during profile and did not come back \(.*connection closed/);
  assert.equal(bad.steps.verify, 'skipped');
});

test('a transient timeout is retried within the bound and the step then succeeds', async () => {
  const emu = await emulator({ devices: 1, seed: 'bp-retry', knobs: { responseDelayMs: 700 } });
  const dev = emu.devices[0];
  const svc = fx.service(emu.address, { transport: fx.transport(emu.address, 250) });
  svc.create({ name: 'Retry', actions: [{ type: 'install-profile', profileId: fx.enrollProfileId }] });
  const summary = await svc.apply('Retry', {
    retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 100 },
    onProgress: (p) => {
      if (p.attempt > 1) dev.knobs.responseDelayMs = 0; // the device recovers before the retry
    },
  });
  assert.equal(summary.failed, 0, summary.devices[0].error);
  assert.ok(summary.devices[0].retries >= 1);
  const log = svc.logs({ runId: summary.runId }).map((l) => l.message).join('\n');
  assert.match(log, /transient error \(.*no answer within 250 ms.*\); retry 1\/2/);

  dev.knobs.responseDelayMs = 700;
  svc.create({ name: 'Retry 2', actions: [{ type: 'install-profile', profileId: fx.enrollProfileId }] });
  const exhausted = await svc.apply('Retry 2', { retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 20 } });
  assert.equal(exhausted.failed, 1, 'the bound is respected');
  assert.equal(exhausted.devices[0].retries, 1);
  assert.match(exhausted.devices[0].error!, /no answer within 250 ms/);
});

test('two applies on one device serialize on the per-UDID lock', async () => {
  const emu = await emulator({ devices: 1, seed: 'bp-lock', knobs: { responseDelayMs: 15 } });
  const svc = fx.service(emu.address);
  svc.create({ name: 'Lock A', actions: [{ type: 'install-profile', profileId: fx.enrollProfileId }, { type: 'device-name', pattern: 'A' }] });
  svc.create({ name: 'Lock B', actions: [{ type: 'wifi', ssid: 'Guest' }, { type: 'device-name', pattern: 'B' }] });
  const spans = new Map<string, { first: number; last: number }>();
  const onProgress = (p: DeviceRunProgress): void => {
    const s = spans.get(p.runId) ?? { first: performance.now(), last: 0 };
    s.last = performance.now();
    spans.set(p.runId, s);
  };
  const [a, b] = await Promise.all([svc.apply('Lock A', { onProgress }), svc.apply('Lock B', { onProgress })]);
  assert.equal(a.failed + b.failed, 0);
  const [sa, sb] = [spans.get(a.runId)!, spans.get(b.runId)!];
  assert.ok(sa.last <= sb.first || sb.last <= sa.first, `runs overlapped: A ${sa.first}-${sa.last}, B ${sb.first}-${sb.last}`);
  const later = sa.first < sb.first ? 'B' : 'A';
  assert.equal(emu.devices[0].defaultOverrides.DeviceName, later, 'the run that waited ran last');
});

test('auto-apply runs the selected blueprint on every newly attached device, not on those already there', async () => {
  const emu = await emulator({ devices: 1, seed: 'bp-auto' });
  const svc = fx.service(emu.address);
  svc.create({ name: 'Auto', autoApply: true, actions: [{ type: 'install-profile', profileId: fx.enrollProfileId }] });
  const done: string[] = [];
  const handle = await svc.startAutoApply(undefined, { onRun: (s) => done.push(...s.devices.filter((d) => d.ok).map((d) => d.udid)) });
  const fresh = [emu.attach('ipad'), emu.attach('appletv')];
  const deadline = Date.now() + 20_000;
  while (done.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await handle.close();
  assert.deepEqual(done.sort(), fresh.map((d) => d.udid).sort());
  for (const d of fresh) assert.deepEqual(installed(emu, d.udid), ['com.acme.enroll']);
  assert.deepEqual(installed(emu, emu.devices[0].udid), [], 'a device attached before auto-apply started is left alone');
});

test('a prepare executor plugs into the registry; erase wipes the device through MCInstall EraseDevice', async () => {
  const emu = await emulator({ devices: 1, seed: 'bp-prepare' });
  const executors: ActionExecutorRegistry = builtInExecutors();
  const seen: unknown[] = [];
  executors.register('prepare', async (action, ctx) => {
    seen.push(action);
    await ctx.transport.setValue(ctx.udid, 'com.apple.international', 'Language', action.language ?? 'en');
    return `prepared ${ctx.info.SerialNumber}`;
  });
  const svc = fx.service(emu.address, { executors });
  svc.create({ name: 'Prep', actions: [{ type: 'prepare', supervised: false, skipSetup: 'all', language: 'fr' }] });
  const s = await svc.apply('Prep');
  assert.equal(s.failed, 0, s.devices[0].error);
  assert.deepEqual(seen, [{ type: 'prepare', supervised: false, skipSetup: 'all', language: 'fr' }]);
  assert.equal(emu.devices[0].domains.get('com.apple.international')?.Language, 'fr');

  svc.create({ name: 'Wipe', actions: [{ type: 'locale', timeZone: 'UTC' }, { type: 'erase', preserveDataPlan: false }] });
  const w = await svc.apply('Wipe');
  assert.equal(w.failed, 0, w.devices[0].error);
  assert.equal(w.devices[0].steps.erase, 'done');
  const dev = emu.device(s.devices[0].udid)!;
  assert.ok(dev.requestLog.some((e) => e.service === 'com.apple.mobile.MCInstall' && e.request === 'EraseDevice'));
  for (let t = Date.now(); dev.eraseCount === 0 && Date.now() - t < 5_000;) await new Promise((r) => setTimeout(r, 20));
  assert.equal(dev.eraseCount, 1);
  assert.equal(dev.pairings.size, 0, 'the erased device forgot the pairing');
});

test('the supervision prepare executor: a blueprint prepares (supervised by an organization) then names the device', async () => {
  const { createSupervisionService } = await import('../../main/organizations');
  const { supervisionPrepareExecutor } = await import('../../main/blueprints');
  const emu = await emulator({ devices: 1, seed: 'bp-prepare-real' });
  const supervision = createSupervisionService(fx.db, fx.box, 'test', { usbmuxAddress: emu.address });
  const org = supervision.organizations.create({ name: 'Acme Schools' });
  const executors = builtInExecutors().register('prepare', supervisionPrepareExecutor(supervision));
  const svc = fx.service(emu.address, { executors });
  svc.create({ name: 'Prepare real', actions: [{ type: 'prepare', supervised: true, organizationId: org.id, skipSetup: 'all', language: 'de', locale: 'de_DE' }, { type: 'device-name', pattern: 'Acme-{serial}' }] });
  const s = await svc.apply('Prepare real');
  assert.equal(s.failed, 0, s.devices[0].error);
  const dev = emu.devices[0];
  assert.equal(dev.cloudConfiguration?.IsSupervised, true);
  assert.equal(dev.cloudConfiguration?.OrganizationName, 'Acme Schools');
  assert.equal(dev.defaultOverrides.DeviceName, `Acme-${dev.identity.SerialNumber}`);
});
