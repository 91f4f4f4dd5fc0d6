import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  TenantAuthError, TenantClient, TenantConflictError, TenantInputError, TenantNotFoundError, TenantUnavailableError, normalizeTenantUrl,
  backoffDelayMs, parseRetryAfter, DEFAULT_RETRY_POLICY,
} from '../../main/tenant';
import { startTestTenant, TENANT_PASSWORD, TENANT_USER, type FaultRule } from '../support/tenant';
import { recordingClock } from './support/helpers';

const tenant = await startTestTenant({ devices: 30, users: 3 });
after(() => tenant.close());

function client(over: { password?: string; timeoutMs?: number; maxAttempts?: number } = {}): { c: TenantClient; clock: ReturnType<typeof recordingClock> } {
  const clock = recordingClock();
  const c = new TenantClient({
    baseUrl: tenant.url, user: TENANT_USER, password: over.password ?? TENANT_PASSWORD, clock, random: () => 0.5,
    retry: { baseDelayMs: 100, maxAttempts: over.maxAttempts ?? 6 }, timeoutMs: over.timeoutMs ?? 5000,
  });
  return { c, clock };
}

const P = '100001';

test('partitions: default device space resolved; unknown name lists the existing ones', async () => {
  const { c } = client();
  const def = await c.resolvePartition();
  assert.equal(String(def.id), P);
  assert.equal(def.defaultPartition, true);
  assert.equal(String((await c.resolvePartition('lab')).id), '100002');
  await assert.rejects(c.resolvePartition('Nope'), (e: Error) => e instanceof TenantInputError && /Default Device Space, Lab/.test(e.message));
  c.close();
});

test('devices page with rows/start and totalCount; rows outside 1–500 refused before sending', async () => {
  const { c } = client();
  const p1 = await c.listDevices({ dmPartitionId: P, rows: 10, start: 0 });
  const p3 = await c.listDevices({ dmPartitionId: P, rows: 10, start: 20 });
  assert.equal(p1.totalCount, 30);
  assert.equal(p1.records.length, 10);
  assert.equal(p3.records.length, 10);
  assert.notDeepEqual(p1.records.map((d) => d.id), p3.records.map((d) => d.id));
  await assert.rejects(c.listDevices({ dmPartitionId: P, rows: 501, start: 0 }), TenantInputError);
  await assert.rejects(c.listDevices({ dmPartitionId: P, rows: 0, start: 0 }), TenantInputError);
  assert.equal(await c.getDevice('999999', P), null);
  c.close();
});

test('429/503 with Retry-After are retried after the advertised delay; 5xx with exponential backoff', async () => {
  const { c, clock } = client();
  tenant.faults.add({ endpoint: 'GET /api/v1/device', status: 429, retryAfter: 2 }, { endpoint: 'GET /api/v1/device', status: 503, retryAfter: 1, skip: 1 }, { endpoint: 'GET /api/v1/device', status: 502, skip: 2 });
  const page = await c.listDevices({ dmPartitionId: P, rows: 5, start: 0 });
  assert.equal(page.records.length, 5);
  // 2 s + 5 % jitter, 1 s + 5 %, then 100·2^2 · 0.75 (random 0.5).
  assert.deepEqual(clock.sleeps, [2100, 1050, 300]);
  tenant.faults.clear();
  c.close();
});

test('a Retry-After longer than the policy cap fails at once with a clear message', async () => {
  const { c } = client();
  tenant.faults.add({ endpoint: 'GET /api/v1/account', status: 503, retryAfter: 3600 });
  await assert.rejects(c.listAccounts({ rows: 5, start: 0 }), (e: Error) => e instanceof TenantUnavailableError && /3600 s/.test(e.message));
  tenant.faults.clear();
  c.close();
});

test('attempts are bounded: a tenant that keeps failing gives TenantUnavailableError', async () => {
  const { c, clock } = client({ maxAttempts: 3 });
  tenant.faults.add({ endpoint: 'GET /api/v1/account', status: 500, times: Infinity });
  await assert.rejects(c.listAccounts({ rows: 5, start: 0 }), (e: Error) => e instanceof TenantUnavailableError && /after 3 attempts.*HTTP 500/.test(e.message));
  assert.equal(clock.sleeps.length, 2);
  tenant.faults.clear();
  c.close();
});

test('timeouts, dropped connections and truncated bodies are retried', async () => {
  const { c, clock } = client({ timeoutMs: 300 });
  tenant.faults.add(
    { endpoint: 'GET /api/v1/device', delayMs: 1000 },
    { endpoint: 'GET /api/v1/device', drop: true, skip: 1 },
    { endpoint: 'GET /api/v1/device', truncate: true, skip: 2 },
  );
  const before = tenant.requests.get('GET /api/v1/device') ?? 0;
  const page = await c.listDevices({ dmPartitionId: P, rows: 3, start: 0 });
  assert.equal(page.records.length, 3);
  assert.equal((tenant.requests.get('GET /api/v1/device') ?? 0) - before, 4);
  assert.equal(clock.sleeps.length, 3);
  tenant.faults.clear();
  c.close();
});

test('401 and 403 stop at once with a clear message that never contains the password or the Basic header', async () => {
  const { c, clock } = client({ password: 'wrong-password-123' });
  await assert.rejects(c.partitions(), (e: Error) => {
    assert.ok(e instanceof TenantAuthError);
    assert.match(e.message, /401.*sync configure/);
    assert.doesNotMatch(e.message, /wrong-password-123|Basic [A-Za-z0-9+/=]{8}|d3Jvbmc/);
    return true;
  });
  assert.equal(clock.sleeps.length, 0);
  tenant.faults.add({ endpoint: 'GET /api/v1/account', status: 403 });
  const ok = client();
  await assert.rejects(ok.c.listAccounts({ rows: 1, start: 0 }), (e: Error) => e instanceof TenantAuthError && /403/.test(e.message));
  tenant.faults.clear();
  c.close();
  ok.c.close();
});

test('writes: If-Match mismatch → TenantConflictError, missing record → TenantNotFoundError, duplicate uid → conflict', async () => {
  const { c } = client();
  const d = (await c.getDevice('7', P))!;
  await assert.rejects(c.updateDeviceAttributes('7', P, { lab: 'x' }, { ifMatch: String(Number(d.revision) - 1) }), TenantConflictError);
  const ok = await c.updateDeviceAttributes('7', P, { lab: 'x' }, { ifMatch: String(d.revision) });
  assert.ok(Number(ok.revision) > Number(d.revision));
  await assert.rejects(c.deviceAction('retire', '424242', P), TenantNotFoundError);
  const a = await c.createAccount({ emailAddress: 'dup@example.com' }, true, { idempotencyKey: 'dup-1' });
  assert.equal(a.record!.inviteState, 'SENT');
  await assert.rejects(c.createAccount({ emailAddress: 'dup@example.com' }, true, { idempotencyKey: 'dup-2' }), TenantConflictError);
  c.close();
});

test('tenant URL validation: https required except loopback; no credentials in the URL', () => {
  assert.equal(normalizeTenantUrl('https://na1.mobileiron.com/'), 'https://na1.mobileiron.com');
  assert.equal(normalizeTenantUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
  assert.throws(() => normalizeTenantUrl('http://tenant.example.com'), /must use https/);
  assert.throws(() => normalizeTenantUrl('https://u:p@tenant.example.com'), /not in the tenant URL/);
  assert.throws(() => normalizeTenantUrl('not a url'), /is not a URL/);
  assert.throws(() => normalizeTenantUrl('ftp://x.example.com'), /https/);
});

test('backoff: Retry-After seconds or HTTP-date, exponential with jitter, capped', () => {
  assert.equal(parseRetryAfter('7', 0), 7);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 0), 10);
  assert.equal(parseRetryAfter('soon', 0), undefined);
  const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 5000 };
  assert.equal(backoffDelayMs(1, p, () => 0), 500);
  assert.equal(backoffDelayMs(3, p, () => 0.999), 3998);
  assert.equal(backoffDelayMs(10, p, () => 0), 2500); // capped at max before jitter
  assert.equal(backoffDelayMs(1, p, () => 0, 10), null);
});

/** Every endpoint of the API subset, with a call that exercises it. */
const ENDPOINTS: { key: string; write: boolean; call: (c: TenantClient, n: number) => Promise<unknown> }[] = [
  { key: 'GET /api/v1/tenant/partition/device', write: false, call: (c) => c.partitions() },
  { key: 'GET /api/v1/device', write: false, call: (c) => c.listDevices({ dmPartitionId: P, rows: 5, start: 0 }) },
  { key: 'GET /api/v1/device/{id}', write: false, call: (c) => c.getDevice('3', P) },
  { key: 'PUT /api/v1/device/retire', write: true, call: (c, n) => c.deviceAction('retire', String(1 + (n % 30)), P, { idempotencyKey: `retire-${n}` }) },
  { key: 'PUT /api/v1/device/wipe', write: true, call: (c, n) => c.deviceAction('wipe', String(1 + (n % 30)), P, { idempotencyKey: `wipe-${n}` }) },
  { key: 'PUT /api/v1/device/{id}/customattributes', write: true, call: (c, n) => c.updateDeviceAttributes('4', P, { n: String(n) }, { idempotencyKey: `attr-${n}` }) },
  { key: 'GET /api/v1/account', write: false, call: (c) => c.listAccounts({ rows: 5, start: 0 }) },
  { key: 'POST /api/v1/accounts', write: true, call: (c, n) => c.createAccount({ emailAddress: `fault${n}@example.com` }, true, { idempotencyKey: `create-${n}` }) },
  { key: 'PUT /api/v1/account/{id}', write: true, call: (c, n) => c.updateAccount('1', { firstName: `F${n}` }, { idempotencyKey: `upd-${n}` }) },
  { key: 'PUT /api/v1/account/invite', write: true, call: (c, n) => c.sendInvite('2', { idempotencyKey: `inv-${n}` }) },
  { key: 'DELETE /api/v1/account/{id}', write: true, call: async (c, n) => {
    const a = await c.createAccount({ emailAddress: `del${n}@example.com` }, false, { idempotencyKey: `mk-del-${n}` });
    return c.deleteAccount(String(a.record!.id), { idempotencyKey: `del-${n}` });
  } },
];

const FAULTS: { name: string; rules: (key: string) => FaultRule[] }[] = [
  { name: '503 + Retry-After', rules: (k) => [{ endpoint: k, status: 503, retryAfter: 1 }] },
  { name: '429', rules: (k) => [{ endpoint: k, status: 429 }] },
  { name: '500', rules: (k) => [{ endpoint: k, status: 500 }] },
  { name: 'drop before', rules: (k) => [{ endpoint: k, drop: true }] },
  { name: 'drop after applying', rules: (k) => [{ endpoint: k, drop: true, when: 'after' }] },
  { name: 'truncated body', rules: (k) => [{ endpoint: k, truncate: true, when: 'after' }] },
  { name: '503 after applying', rules: (k) => [{ endpoint: k, status: 503, when: 'after' }] },
  { name: 'slow (timeout)', rules: (k) => [{ endpoint: k, delayMs: 600 }] },
];

test('fault injection on every endpoint: each fault is retried and a write is applied exactly once', async () => {
  let n = 0;
  for (const ep of ENDPOINTS) {
    for (const f of FAULTS) {
      n++;
      const { c, clock } = client({ timeoutMs: 300 });
      tenant.faults.clear();
      tenant.faults.add(...f.rules(ep.key));
      const logBefore = tenant.store.applyLog().length;
      const reqBefore = tenant.requests.get(ep.key) ?? 0;
      await ep.call(c, n);
      const fired = tenant.faults.list().reduce((s, r) => s + r.fired, 0);
      assert.equal(fired, 1, `${ep.key} / ${f.name}: the fault fired`);
      assert.equal(clock.sleeps.length, 1, `${ep.key} / ${f.name}: one retry`);
      assert.ok((tenant.requests.get(ep.key) ?? 0) - reqBefore >= 2, `${ep.key} / ${f.name}: resent`);
      if (ep.write) {
        const applied = tenant.store.applyLog().slice(logBefore).filter((r) => r.key?.endsWith(`-${n}`) && !r.key.startsWith('mk-'));
        assert.equal(applied.length, 1, `${ep.key} / ${f.name}: applied exactly once`);
      }
      c.close();
    }
  }
  tenant.faults.clear();
});

test('fault flags parse; admin endpoint adds and clears rules', async () => {
  const { parseFaultFlag } = await import('../support/tenant');
  tenant.faults.clear();
  assert.deepEqual(parseFaultFlag('PUT /api/v1/device/retire:status=503,retry-after=2,times=3'), { endpoint: 'PUT /api/v1/device/retire', status: 503, retryAfter: '2', times: 3 });
  assert.deepEqual(parseFaultFlag('GET /api/v1/device:drop,after,times=inf'), { endpoint: 'GET /api/v1/device', drop: true, when: 'after', times: Infinity });
  assert.throws(() => parseFaultFlag('GET /api/v1/device:bogus=1'), /unknown key/);
  const res = await new Promise<number>((resolve) => {
    const req = http.request(`${tenant.url}/__admin/faults`, { method: 'POST' }, (r) => { r.resume(); resolve(r.statusCode!); });
    req.end(JSON.stringify({ endpoint: 'GET /api/v1/account', status: 503 }));
  });
  assert.equal(res, 200);
  assert.equal(tenant.faults.list().length, 1);
  tenant.faults.clear();
});
