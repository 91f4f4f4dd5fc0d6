/**
 * The Device Assignment client against the DEP simulator on loopback: OAuth session, headers,
 * session rotation, re-authentication on 401, backoff on 429, Apple error codes, timeouts,
 * profiles, and assignment in batches of at most 1000 with per-device THROTTLED retries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DepApiError, DepClient, type DepClientEvent, type DepClientOptions } from '../../main/dep';
import { startDepSimulator, type DepSimulator } from '../support/dep-simulator';

interface Harness {
  sim: DepSimulator;
  client: DepClient;
  sleeps: number[];
  events: DepClientEvent[];
}

async function harness(t: { after: (fn: () => Promise<void>) => void }, simOpts: Parameters<typeof startDepSimulator>[0] = {}, clientOpts: Partial<DepClientOptions> = {}): Promise<Harness> {
  const sim = await startDepSimulator(simOpts);
  t.after(() => sim.close());
  const sleeps: number[] = [];
  const events: DepClientEvent[] = [];
  const client = new DepClient({
    tokens: sim.tokens,
    baseUrl: sim.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    ...clientOpts,
  });
  return { sim, client, sleeps, events };
}

test('GET /session is OAuth-signed; later calls carry X-ADM-Auth-Session, protocol 3, User-Agent, JSON', async (t) => {
  const { sim, client } = await harness(t, { devices: 3 });
  const account = await client.account();
  assert.equal(account.server_name, 'StageBench Simulator');
  assert.equal(account.admin_id, 'admin@example.com');
  assert.equal(account.org_name, 'Example Org');
  await client.account();
  const [session, first, second] = sim.requests;
  assert.equal(session.path, '/session');
  assert.equal(session.status, 200);
  assert.equal(session.hadSession, false);
  for (const r of [first, second]) {
    assert.equal(r.path, '/account');
    assert.equal(r.hadSession, true);
    assert.equal(r.protocolVersion, '3');
    assert.match(r.userAgent ?? '', /^StageBench\//);
    assert.equal(r.contentType, 'application/json;charset=UTF8');
  }
  assert.equal(sim.requests.filter((r) => r.path === '/session').length, 1, 'the session is reused');
});

test('wrong token secrets: /session answers 401 and the error says to upload a new token', async (t) => {
  const { sim } = await harness(t);
  const bad = new DepClient({ tokens: { ...sim.tokens, access_secret: 'AS_wrong' }, baseUrl: sim.url });
  await assert.rejects(bad.account(), (e: unknown) => e instanceof DepApiError && e.status === 401 && e.code === 'UNAUTHORIZED' && /upload a new server token/.test(e.message) && !e.message.includes(sim.tokens.access_secret));
});

test('an expired session gets 401 → one re-authentication and replay', async (t) => {
  const { sim, client, events } = await harness(t, { devices: 2, sessionTtlMs: 60_000 });
  await client.account();
  const before = client.sessionToken;
  sim.advance(120_000);
  const page = await client.fetchDevices({ limit: 10 });
  assert.equal(page.devices.length, 2);
  assert.notEqual(client.sessionToken, before);
  assert.deepEqual(sim.requests.map((r) => `${r.path} ${r.status}`), ['/session 200', '/account 200', '/server/devices 401', '/session 200', '/server/devices 200']);
  assert.deepEqual(events.map((e) => e.kind), ['reauth']);
});

test('403 FORBIDDEN (stale session, as depsim after a restart) also re-authenticates once', async (t) => {
  const { sim, client, events } = await harness(t);
  await client.account();
  sim.fault('GET /account', { status: 403, body: 'FORBIDDEN' });
  assert.equal((await client.account()).org_name, 'Example Org');
  assert.deepEqual(events.map((e) => e.kind), ['reauth']);
  assert.equal(sim.requests.filter((r) => r.path === '/session').length, 2);
});

test('a second 401 right after re-authentication is an error, not a loop', async (t) => {
  const { sim, client } = await harness(t);
  await client.account();
  sim.fault('GET /account', { status: 401, body: 'UNAUTHORIZED', count: 2 });
  await assert.rejects(client.account(), (e: unknown) => e instanceof DepApiError && e.status === 401);
  assert.equal(sim.requests.filter((r) => r.path === '/session').length, 2);
});

test('a rotated X-ADM-Auth-Session in a response replaces the session token', async (t) => {
  const { sim, client } = await harness(t, { devices: 5, rotateSessionEvery: 2 });
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) {
    await client.account();
    seen.add(client.sessionToken!);
  }
  assert.ok(seen.size >= 3, `the client followed rotations (${seen.size} tokens)`);
  // The simulator invalidates the old token on rotation: no 401 means the new one was used.
  assert.equal(sim.requests.filter((r) => r.status === 401).length, 0);
  assert.equal(sim.requests.filter((r) => r.path === '/session').length, 1);
});

test('429 with Retry-After: waits as told (with jitter), then succeeds', async (t) => {
  const { sim, client, sleeps, events } = await harness(t, { devices: 1 });
  sim.fault('POST /server/devices', { status: 429, body: 'TOO_MANY_REQUESTS', retryAfter: 3, count: 2 });
  const page = await client.fetchDevices();
  assert.equal(page.devices.length, 1);
  assert.deepEqual(sleeps, [3150, 3150]);
  assert.deepEqual(events.filter((e) => e.kind === 'retry').map((e) => (e as { status: number }).status), [429, 429]);
});

test('429 without Retry-After: bounded exponential backoff, then a clear error', async (t) => {
  const { sim, client, sleeps } = await harness(t, {}, { retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 10_000 } });
  sim.fault('GET /account', { status: 429, body: 'TOO_MANY_REQUESTS', count: 10 });
  await assert.rejects(client.account(), (e: unknown) => e instanceof DepApiError && e.status === 429 && e.code === 'TOO_MANY_REQUESTS' && /rate limiting/.test(e.message));
  assert.deepEqual(sleeps, [75, 150, 300]);
  assert.equal(sim.requests.filter((r) => r.path === '/account').length, 4);
});

test('429 on /session itself is retried; a Retry-After beyond the cap fails at once', async (t) => {
  const { sim, client, sleeps } = await harness(t, {}, { retry: { maxDelayMs: 5000 } });
  sim.fault('GET /session', { status: 429, body: 'TOO_MANY_REQUESTS' });
  await client.account();
  assert.equal(sleeps.length, 1);
  sim.expireSessions();
  sim.fault('GET /account', { status: 429, body: 'TOO_MANY_REQUESTS', retryAfter: 3600 });
  await assert.rejects(client.account(), /Retry-After 3600 s/);
});

test('403 T_C_NOT_SIGNED and ACCESS_DENIED carry admin instructions; no retry', async (t) => {
  const { sim, client } = await harness(t);
  sim.fault('GET /account', { status: 403, body: 'T_C_NOT_SIGNED' });
  await assert.rejects(client.account(), (e: unknown) => e instanceof DepApiError && e.code === 'T_C_NOT_SIGNED' && /accept them/.test(e.message));
  sim.fault('GET /account', { status: 403, body: { code: 'ACCESS_DENIED' } });
  await assert.rejects(client.account(), (e: unknown) => e instanceof DepApiError && e.code === 'ACCESS_DENIED' && /Upload New Token/.test(e.message));
  assert.equal(sim.requests.filter((r) => r.path === '/account').length, 2);
});

test('timeouts: an idempotent call is retried, then fails naming the endpoint', async (t) => {
  const { sim, client, sleeps } = await harness(t, {}, { timeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 10 } });
  await client.account();
  sim.fault('GET /account', { delayMs: 600, count: 2 });
  await assert.rejects(client.account(), (e: unknown) => e instanceof DepApiError && e.status === 0 && /GET \/account: .*timed out/.test(e.message));
  assert.equal(sleeps.length, 1);
});

test('cursor errors surface as codes: EXHAUSTED, INVALID, CURSOR_REQUIRED, EXPIRED', async (t) => {
  const { sim, client } = await harness(t, { devices: 3 });
  const page = await client.fetchDevices({ limit: 5 });
  assert.equal(page.more_to_follow, false);
  await assert.rejects(client.fetchDevices({ cursor: page.cursor }), (e: unknown) => e instanceof DepApiError && e.code === 'EXHAUSTED_CURSOR' && !e.cursorReset);
  await assert.rejects(client.fetchDevices({ cursor: 'NOPE' }), (e: unknown) => e instanceof DepApiError && e.code === 'INVALID_CURSOR' && e.cursorReset);
  await assert.rejects(client.syncDevices({ cursor: '' }), (e: unknown) => e instanceof DepApiError && e.code === 'CURSOR_REQUIRED');
  sim.expireCursors(); // as if older than 7 days
  await assert.rejects(client.syncDevices({ cursor: page.cursor }), (e: unknown) => e instanceof DepApiError && e.code === 'EXPIRED_CURSOR' && e.cursorReset);
});

test('define, get and assign a profile: batches of ≤ 1000, per-device results merged', async (t) => {
  const { sim, client } = await harness(t, { devices: 2300 });
  const serials = [...sim.store.devices.keys()];
  const def = await client.defineProfile({ profile_name: 'Staging', url: 'https://mdm.example.com/enroll', is_supervised: true, devices: serials.slice(0, 2) });
  assert.match(def.profile_uuid, /^[0-9A-F]{32}$/);
  assert.deepEqual(def.devices, { [serials[0]]: 'SUCCESS', [serials[1]]: 'SUCCESS' });
  const got = await client.getProfile(def.profile_uuid);
  assert.equal(got.profile_name, 'Staging');
  assert.equal(got.profile_uuid, def.profile_uuid);
  await assert.rejects(client.getProfile('0000'), (e: unknown) => e instanceof DepApiError && e.code === 'PROFILE_NOT_FOUND');
  await assert.rejects(client.defineProfile({ profile_name: 'x', url: 'https://x', is_mdm_removable: false }), /FLAGS_INVALID/);

  const batches: number[] = [];
  const r = await client.assignProfile(def.profile_uuid, [...serials, 'NOTMINE00001'], { onBatch: (b) => batches.push(Object.keys(b.devices).length) });
  assert.deepEqual(batches, [1000, 1000, 301]);
  assert.equal(r.requests, 3);
  const sent = sim.assignments.filter((a) => a.method === 'POST /profile/devices');
  assert.deepEqual(sent.map((a) => a.serials.length), [1000, 1000, 301]);
  assert.ok(sent.every((a) => a.serials.length <= 1000));
  assert.equal(r.devices.NOTMINE00001, 'NOT_ACCESSIBLE');
  assert.equal(Object.values(r.devices).filter((s) => s === 'SUCCESS').length, 2300);
  assert.equal(sim.store.devices.get(serials[2000])!.profile_uuid, def.profile_uuid);

  const removed = await client.removeProfile(serials.slice(0, 3));
  assert.deepEqual(Object.values(removed.devices), ['SUCCESS', 'SUCCESS', 'SUCCESS']);
  assert.equal(sim.store.devices.get(serials[0])!.profile_status, 'removed');

  const details = await client.deviceDetails([serials[5], 'UNKNOWN']);
  assert.equal(details.devices[serials[5]].response_status, 'SUCCESS');
  assert.equal(details.devices.UNKNOWN.response_status, 'NOT_ACCESSIBLE');
});

test('per-device THROTTLED: only the throttled serials are resent after retry_after_seconds', async (t) => {
  const { sim, client, sleeps, events } = await harness(t, { devices: 10 }, { assignMethod: 'PUT' });
  const serials = [...sim.store.devices.keys()];
  const { profile_uuid } = await client.defineProfile({ profile_name: 'P', url: 'https://mdm.example.com' });
  sim.fault('PUT /profile/devices', { throttle: { serials: 4, retryAfterSeconds: 2 } }, { throttle: { serials: 1, retryAfterSeconds: 1 } });
  const r = await client.assignProfile(profile_uuid, serials);
  assert.deepEqual(sim.assignments.filter((a) => a.method === 'PUT /profile/devices').map((a) => a.serials.length), [10, 4, 1]);
  assert.deepEqual(sleeps, [2100, 1050]);
  assert.ok(Object.values(r.devices).every((s) => s === 'SUCCESS'));
  assert.equal(events.filter((e) => e.kind === 'throttled').length, 2);
});

test('THROTTLED that never clears is reported per device after the bounded attempts', async (t) => {
  const { sim, client } = await harness(t, { devices: 3 }, { retry: { maxAttempts: 2 } });
  const serials = [...sim.store.devices.keys()];
  const { profile_uuid } = await client.defineProfile({ profile_name: 'P', url: 'https://mdm.example.com' });
  sim.fault('POST /profile/devices', { throttle: { serials: 1, retryAfterSeconds: 1 }, count: 5 });
  const r = await client.assignProfile(profile_uuid, serials);
  assert.equal(r.devices[serials[0]], 'THROTTLED');
  assert.equal(r.devices[serials[1]], 'SUCCESS');
  assert.equal(r.requests, 2);
});

test('input checks: empty serial list, missing profile_uuid, too many devices in a definition', async (t) => {
  const { client } = await harness(t);
  await assert.rejects(client.assignProfile('X', []), /at least one device serial/);
  await assert.rejects(async () => client.assignProfile('', ['A']), /profile_uuid is required/);
  assert.throws(() => client.defineProfile({ profile_name: 'P', url: 'https://x', devices: Array.from({ length: 1001 }, (_, i) => `S${i}`) }), /at most 1000 devices/);
  assert.throws(() => new DepClient({ tokens: { consumer_key: 'CK', consumer_secret: '', access_token: 'AT', access_secret: 'AS', access_token_expiry: '' } }), /consumer_secret is missing/);
});
