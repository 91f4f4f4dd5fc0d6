/**
 * Supervised pairing end to end against the device emulator (usbmuxd → lockdownd Pair with
 * SupervisorCertificate → MCChallengeRequired → ChallengeResponse CMS), with the Trust dialog set
 * to refuse, so only the supervision identity can pair. Wrong identities and forged responses are
 * refused; a device whose cloud configuration forbids pairing answers MCProtected to plain Pair.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LockdownClient, LockdownError, UsbmuxClient, getCloudConfiguration, pairRequestRecord, newPairRecord, withSession,
} from '../../main/apple';
import { SupervisedPairingRefusedError, pairWithPolicy, signChallenge, withPairedSession } from '../../main/apple/supervision';
import { createSupervisionIdentity } from '../../main/organizations';
import type { SigningIdentity } from '../../main/profiles';
import { startEmulator, type EmulatedDevice, type Emulator } from '../support/emulator';

describe('supervised pairing', () => {
  let emu: Emulator;
  let org: SigningIdentity;
  let other: SigningIdentity;
  let opts: { socketAddress: string };
  const supervisedBy = (id: SigningIdentity, allowPairing = true) => ({
    IsSupervised: true, AllowPairing: allowPairing, OrganizationName: 'Acme', SupervisorHostCertificates: [id.certificateDer],
  });

  before(async () => {
    org = createSupervisionIdentity('Acme Bench');
    other = createSupervisionIdentity('Not Acme');
    emu = await startEmulator({ devices: 0 });
    opts = { socketAddress: emu.address };
  });
  after(() => emu.close());

  function device(cloud: ReturnType<typeof supervisedBy> | undefined, trust: 'deny' | { pendingAttempts: number } = 'deny'): EmulatedDevice {
    return emu.attach('iphone', { trust, cloudConfiguration: cloud });
  }

  it('pairs without a Trust dialog: challenge answered with a CMS signed by the organization key', async () => {
    const d = device(supervisedBy(org));
    assert.equal(await pairWithPolicy(d.udid, { identity: org, allowTrustPrompt: false }, opts), 'supervised');
    assert.equal(d.pairAttempts, 0, 'the Trust dialog path was never entered');
    const pairs = d.requestLog.filter((e) => e.request === 'Pair');
    assert.deepEqual(pairs.map((e) => e.detail.Error ?? 'ok'), ['MCChallengeRequired', 'ok']);
    assert.ok(emu.pairRecords.has(d.udid), 'record saved through usbmuxd SavePairRecord');
    // The saved record opens a TLS session and MCInstall.
    const cc = await getCloudConfiguration(d.udid, opts);
    assert.equal(cc?.OrganizationName, 'Acme');
  });

  it('a wrong organization identity is refused (device not supervised by it), and nothing is saved', async () => {
    const d = device(supervisedBy(org), { pendingAttempts: 1000 });
    await assert.rejects(pairWithPolicy(d.udid, { identity: other, allowTrustPrompt: false }, opts), (err: unknown) =>
      err instanceof SupervisedPairingRefusedError && err.reason === 'unknown-supervisor' && /not supervised by this organization/.test(err.message));
    assert.equal(emu.pairRecords.has(d.udid), false);
    assert.equal(d.pairings.size, 0);
  });

  it('with AllowPairing false a plain Pair and a wrong identity get MCProtected; the right identity pairs', async () => {
    const d = device(supervisedBy(org, false), 'deny');
    await assert.rejects(pairWithPolicy(d.udid, {}, opts), (err: unknown) => err instanceof LockdownError && err.code === 'MCProtected');
    await assert.rejects(pairWithPolicy(d.udid, { identity: other, allowTrustPrompt: true }, opts), (err: unknown) =>
      err instanceof SupervisedPairingRefusedError && err.reason === 'protected');
    assert.equal(await pairWithPolicy(d.udid, { identity: org }, opts), 'supervised');
    assert.equal(d.pairings.size, 1);
  });

  it('a ChallengeResponse signed by another key (same certificate claimed) is refused with MCProtected', async () => {
    const d = device(supervisedBy(org));
    const usbmux = new UsbmuxClient({ socketAddress: emu.address });
    const dev = (await usbmux.listDevices()).find((x) => x.udid === d.udid)!;
    const client = await LockdownClient.connect(usbmux, dev);
    try {
      const record = await newPairRecord(client);
      const pair = (options: Record<string, Uint8Array>) => client.service.request({
        Label: 'test', Request: 'Pair', ProtocolVersion: '2', PairRecord: pairRequestRecord(record), PairingOptions: { ExtendedPairingErrors: true, ...options },
      });
      const first = await pair({ SupervisorCertificate: org.certificateDer });
      assert.equal(first.Error, 'MCChallengeRequired');
      const challenge = (first.ExtendedResponse as { PairingChallenge: Uint8Array }).PairingChallenge;
      assert.ok(challenge.length >= 16, 'a random PairingChallenge');
      // The organization's certificate in the CMS, but the signature made with another key.
      const forged = signChallenge(challenge, { ...org, privateKey: other.privateKey });
      assert.equal((await pair({ ChallengeResponse: forged })).Error, 'MCProtected');
      // Another organization's valid signature over the right challenge.
      const third = await pair({ SupervisorCertificate: org.certificateDer });
      const otherSigned = signChallenge((third.ExtendedResponse as { PairingChallenge: Uint8Array }).PairingChallenge, other);
      assert.equal((await pair({ ChallengeResponse: otherSigned })).Error, 'MCProtected');
      // A response over different bytes, correctly signed, is refused too.
      const again = await pair({ SupervisorCertificate: org.certificateDer });
      const wrongContent = signChallenge(Buffer.from('not the challenge'), org);
      assert.notDeepEqual((again.ExtendedResponse as { PairingChallenge: Uint8Array }).PairingChallenge, challenge, 'a fresh challenge each time');
      assert.equal((await pair({ ChallengeResponse: wrongContent })).Error, 'MCProtected');
      assert.equal(d.pairings.size, 0);
    } finally {
      client.close();
    }
  });

  it('withPairedSession re-pairs with the identity when the device forgot the host (InvalidHostID)', async () => {
    const d = device(supervisedBy(org));
    await pairWithPolicy(d.udid, { identity: org }, opts);
    d.pairings.clear(); // e.g. AllowPairing false deleted the pairing records
    await assert.rejects(withSession(d.udid, async () => undefined, opts), (err: unknown) => err instanceof LockdownError && err.code === 'InvalidHostID');
    const name = await withPairedSession(d.udid, { identity: org }, async (s) => s.lockdown.getValue(undefined, 'DeviceName'), opts);
    assert.equal(typeof name, 'string');
    assert.equal(d.pairings.size, 1);
    assert.equal(d.pairAttempts, 0, 'no Trust dialog');
  });
});
