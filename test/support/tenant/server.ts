/**
 * The reference tenant: a loopback HTTP server speaking the Ivanti Neurons for MDM v1 subset the
 * bench syncs with (see main/tenant/client.ts for the routes), over a TenantStore. Basic auth on
 * every `/api/v1` call; `Idempotency-Key` honoured on writes (a repeated key replays the stored
 * 2xx response without applying again; the same key on another request → 422); `If-Match` checked
 * against the record's revision (mismatch → 412, absent record → 404); ETag = new revision.
 * `rows` outside 1–500 → 400 as on the real tenant.
 *
 * Admin endpoints (no auth; loopback test use only): `GET|POST|DELETE /__admin/faults`,
 * `POST /__admin/devices {count, partitionId?}`, `PATCH|DELETE /__admin/devices/{id}`,
 * `POST /__admin/accounts {emailAddress…}`, `PATCH|DELETE /__admin/accounts/{id}`,
 * `GET /__admin/apply-log`, `GET /__admin/snapshot`, `GET /__admin/stats`.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultTable, type FaultRule } from './faults';
import type { TenantStore } from './store';

/** Options of startTenantServer. */
export interface TenantServerOptions {
  store: TenantStore;
  /** Host to bind: 127.0.0.1 (default) or ::1. */
  host?: string;
  /** Port; 0 (default) = any free port. */
  port?: number;
  /** Basic auth user (default "admin"). */
  user?: string;
  /** Basic auth password (default "tenant-secret"). */
  password?: string;
  /** Initial fault rules. */
  faults?: FaultRule[];
}

/** A running server. */
export interface TenantServer {
  url: string;
  port: number;
  store: TenantStore;
  faults: FaultTable;
  /** Requests seen per endpoint key. */
  requests: Map<string, number>;
  /** Called on every API request (endpoint key) before it is handled; tests use it to time kills. */
  onRequest: ((key: string) => void) | null;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly result: unknown = null) {
    super(message);
  }
}

interface Reply {
  status: number;
  body: string;
  etag?: string | null;
  retryAfter?: string;
}

const envelope = (result: unknown): string => JSON.stringify({ errors: null, result });
const errorBody = (msg: string, result: unknown = null): string => JSON.stringify({ errors: [{ type: 'error', message: msg }], result });

/** Maps method + path to an endpoint key and its `{id}` parameter; null when unknown. */
export function endpointOf(method: string, pathname: string): { key: string; id?: string } | null {
  const p = pathname.replace(/\/+$/, '');
  if (method === 'GET' && p === '/api/v1/tenant/partition/device') return { key: 'GET /api/v1/tenant/partition/device' };
  if (method === 'GET' && p === '/api/v1/device') return { key: 'GET /api/v1/device' };
  if (method === 'PUT' && (p === '/api/v1/device/retire' || p === '/api/v1/device/wipe')) return { key: `PUT ${p}` };
  let m = /^\/api\/v1\/device\/([^/]+)$/.exec(p);
  if (m && method === 'GET') return { key: 'GET /api/v1/device/{id}', id: decodeURIComponent(m[1]) };
  m = /^\/api\/v1\/device\/([^/]+)\/customattributes$/.exec(p);
  if (m && method === 'PUT') return { key: 'PUT /api/v1/device/{id}/customattributes', id: decodeURIComponent(m[1]) };
  if (method === 'GET' && p === '/api/v1/account') return { key: 'GET /api/v1/account' };
  if (method === 'POST' && p === '/api/v1/accounts') return { key: 'POST /api/v1/accounts' };
  if (method === 'PUT' && p === '/api/v1/account/invite') return { key: 'PUT /api/v1/account/invite' };
  m = /^\/api\/v1\/account\/([^/]+)$/.exec(p);
  if (m && (method === 'PUT' || method === 'DELETE')) return { key: `${method} /api/v1/account/{id}`, id: decodeURIComponent(m[1]) };
  return null;
}

/** Starts the server; resolves once listening. */
export function startTenantServer(opts: TenantServerOptions): Promise<TenantServer> {
  const store = opts.store;
  const faults = new FaultTable();
  if (opts.faults) faults.add(...opts.faults);
  const requests = new Map<string, number>();
  const expectedAuth = Buffer.from(`Basic ${Buffer.from(`${opts.user ?? 'admin'}:${opts.password ?? 'tenant-secret'}`).toString('base64')}`);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1 << 20) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: Error) => {
        if (!res.headersSent) send(res, { status: 500, body: errorBody(err.message) });
      });
    });
  });
  // Longer than any pause a client's blocked event loop imposes, so a reused keep-alive socket is still open.
  server.keepAliveTimeout = 120_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://tenant');
    if (url.pathname.startsWith('/__admin/')) {
      send(res, admin(req.method ?? 'GET', url, body));
      return;
    }
    const ep = endpointOf(req.method ?? 'GET', url.pathname);
    const key = ep?.key ?? `${req.method} ${url.pathname}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    api.onRequest?.(key);
    const before = faults.take(key, 'before');
    if (before?.delayMs) await sleep(before.delayMs);
    if (before?.drop) {
      req.socket.destroy();
      return;
    }
    if (before?.status !== undefined) {
      send(res, { status: before.status, body: errorBody(`injected fault: HTTP ${before.status}`), retryAfter: before.retryAfter === undefined ? undefined : String(before.retryAfter) });
      return;
    }
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expectedAuth.length || !crypto.timingSafeEqual(auth, expectedAuth)) {
      res.setHeader('www-authenticate', 'Basic realm="tenant"');
      send(res, { status: 401, body: errorBody('Unauthorized') });
      return;
    }
    let reply: Reply;
    try {
      if (!ep) throw new HttpError(404, `no route ${req.method} ${url.pathname}`);
      const isWrite = req.method !== 'GET';
      if (isWrite) {
        reply = write(req, url, ep, body);
      } else {
        reply = read(url, ep);
      }
    } catch (err) {
      reply = err instanceof HttpError ? { status: err.status, body: errorBody(err.message, err.result) } : { status: 500, body: errorBody((err as Error).message) };
    }
    // 'after' faults act once the request was handled: a write applied (or replayed from its idempotency key), a read answered.
    const after = faults.take(key, 'after');
    if (after?.delayMs) await sleep(after.delayMs);
    if (after?.drop) {
      req.socket.destroy();
      return;
    }
    if (after?.status !== undefined) {
      send(res, { status: after.status, body: errorBody(`injected fault: HTTP ${after.status}`), retryAfter: after.retryAfter === undefined ? undefined : String(after.retryAfter) });
      return;
    }
    send(res, reply, Boolean(before?.truncate || after?.truncate));
  }

  function read(url: URL, ep: { key: string; id?: string }): Reply {
    const q = url.searchParams;
    switch (ep.key) {
      case 'GET /api/v1/tenant/partition/device': {
        const parts = store.partitions();
        return { status: 200, body: envelope({ totalCount: parts.length, searchResults: parts }) };
      }
      case 'GET /api/v1/device': {
        const partition = requirePartition(q.get('dmPartitionId'));
        const { rows, start } = paging(q);
        const pg = store.devicePage(partition, start, rows, parseFq(q.get('fq')));
        return { status: 200, body: `{"errors":null,"result":{"totalCount":${pg.total},"searchResults":[${pg.json.join(',')}]}}` };
      }
      case 'GET /api/v1/device/{id}': {
        const partition = requirePartition(q.get('dmPartitionId'));
        const d = store.device(Number(ep.id));
        if (!d || store.devicePartition(d.id) !== partition) throw new HttpError(404, `device ${ep.id} not found`);
        return { status: 200, body: envelope(d), etag: String(d.revision) };
      }
      case 'GET /api/v1/account': {
        const { rows, start } = paging(q);
        const pg = store.accountPage(start, rows, parseFq(q.get('fq')));
        return { status: 200, body: `{"errors":null,"result":{"totalCount":${pg.total},"searchResults":[${pg.json.join(',')}]}}` };
      }
      default:
        throw new HttpError(404, `no route ${ep.key}`);
    }
  }

  function write(req: http.IncomingMessage, url: URL, ep: { key: string; id?: string }, body: string): Reply {
    const idemKey = header(req, 'idempotency-key');
    const fingerprint = crypto.createHash('sha256').update(`${req.method} ${url.pathname}?${url.search}\n${body}`).digest('hex');
    if (idemKey) {
      const stored = store.idempotent(idemKey);
      if (stored) {
        if (stored.fingerprint !== fingerprint) throw new HttpError(422, `Idempotency-Key ${idemKey} was used for a different request`);
        return { status: stored.status, body: stored.body, etag: stored.etag };
      }
    }
    const ifMatch = header(req, 'if-match')?.replace(/^W\//, '').replace(/^"|"$/g, '');
    const check = (rev: number): void => {
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== String(rev)) throw new HttpError(412, `the record changed: revision ${rev}, If-Match ${ifMatch}`);
    };
    const form = (): URLSearchParams => new URLSearchParams(body);
    const apply = store.db.transaction((): { reply: Reply; recordId: string } => {
      switch (ep.key) {
        case 'PUT /api/v1/device/retire':
        case 'PUT /api/v1/device/wipe': {
          const f = form();
          const ids = (f.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
          if (ids.length === 0) throw new HttpError(400, 'ids is required');
          const state = ep.key.endsWith('retire') ? 'RETIRED' : 'WIPED';
          let etag: string | null = null;
          for (const id of ids) {
            const d = store.device(Number(id));
            if (!d) throw new HttpError(404, `device ${id} not found`);
            if (ids.length === 1) check(d.revision);
            const next = store.patchDevice(d.id, { registrationState: state, ...(f.get('note') ? { actionNote: f.get('note') } : {}) })!;
            etag = ids.length === 1 ? String(next.revision) : null;
          }
          return { reply: { status: 200, body: envelope(ids.length), etag }, recordId: ids.join(',') };
        }
        case 'PUT /api/v1/device/{id}/customattributes': {
          const d = store.device(Number(ep.id));
          if (!d) throw new HttpError(404, `device ${ep.id} not found`);
          check(d.revision);
          let attrs: Record<string, unknown>;
          try {
            attrs = (JSON.parse(body) as { attrs?: Record<string, unknown> }).attrs ?? {};
          } catch {
            throw new HttpError(400, 'body is not JSON {"attrs": {…}}');
          }
          const next = store.patchDevice(d.id, { customAttributes: { ...(d.customAttributes as Record<string, unknown>), ...attrs } })!;
          return { reply: { status: 200, body: envelope(next), etag: String(next.revision) }, recordId: String(d.id) };
        }
        case 'POST /api/v1/accounts': {
          const f = form();
          const emailAddress = f.get('accounts[0].emailAddress');
          if (!emailAddress || !/^[^@\s]+@[^@\s]+$/.test(emailAddress)) throw new HttpError(400, 'accounts[0].emailAddress is required and must be an email address');
          const uid = f.get('accounts[0].uid') ?? emailAddress;
          const existing = store.accountByUid(uid);
          if (existing) throw new HttpError(409, `an account with uid ${uid} exists`, existing);
          const rec = store.insertAccount({
            emailAddress, uid, firstName: f.get('accounts[0].firstName') ?? undefined, lastName: f.get('accounts[0].lastName') ?? undefined,
            accountSource: f.get('accounts[0].accountSource') ?? 'LOCAL',
          }, url.searchParams.get('sendInvite') === 'true');
          return { reply: { status: 200, body: envelope(rec), etag: String(rec.revision) }, recordId: String(rec.id) };
        }
        case 'PUT /api/v1/account/{id}': {
          const a = store.account(Number(ep.id));
          if (!a) throw new HttpError(404, `account ${ep.id} not found`);
          check(a.revision);
          const patch: Record<string, unknown> = {};
          for (const [k, v] of form()) {
            if (k === 'enabled') patch.enabled = v === 'true';
            else if (['emailAddress', 'firstName', 'lastName'].includes(k)) patch[k] = v;
            else throw new HttpError(400, `field ${k} cannot be updated`);
          }
          const next = store.patchAccount(a.id, patch)!;
          return { reply: { status: 200, body: envelope(next), etag: String(next.revision) }, recordId: String(a.id) };
        }
        case 'PUT /api/v1/account/invite': {
          const ids = (form().get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
          if (ids.length === 0) throw new HttpError(400, 'ids is required');
          let etag: string | null = null;
          for (const id of ids) {
            const a = store.account(Number(id));
            if (!a) throw new HttpError(404, `account ${id} not found`);
            if (ids.length === 1) check(a.revision);
            const resend = a.inviteState === 'SENT';
            const next = store.patchAccount(a.id, { inviteState: 'SENT', inviteLastSentAt: new Date().toISOString(), inviteResendCount: Number(a.inviteResendCount ?? 0) + (resend ? 1 : 0) })!;
            etag = ids.length === 1 ? String(next.revision) : null;
          }
          return { reply: { status: 200, body: envelope(ids.length), etag }, recordId: ids.join(',') };
        }
        case 'DELETE /api/v1/account/{id}': {
          const a = store.account(Number(ep.id));
          if (!a) throw new HttpError(404, `account ${ep.id} not found`);
          check(a.revision);
          store.deleteAccount(a.id);
          return { reply: { status: 200, body: envelope(1) }, recordId: String(a.id) };
        }
        default:
          throw new HttpError(404, `no route ${ep.key}`);
      }
    });
    const tx = store.db.transaction(() => {
      const r = apply();
      store.recordApplied(idemKey ?? null, fingerprint, req.method ?? '', url.pathname, r.recordId, { status: r.reply.status, etag: r.reply.etag ?? null, body: r.reply.body });
      return r.reply;
    });
    return tx();
  }

  function admin(method: string, url: URL, body: string): Reply {
    try {
      const json = (): Record<string, unknown> => (body ? (JSON.parse(body) as Record<string, unknown>) : {});
      const p = url.pathname;
      if (p === '/__admin/faults') {
        if (method === 'GET') return { status: 200, body: JSON.stringify(faults.list()) };
        if (method === 'DELETE') {
          faults.clear();
          return { status: 200, body: '{}' };
        }
        if (method === 'POST') {
          const parsed = JSON.parse(body || '[]') as FaultRule | FaultRule[];
          faults.add(...(Array.isArray(parsed) ? parsed : [parsed]).map((r) => ({ ...r, times: (r.times as number | null) === -1 ? Infinity : r.times })));
          return { status: 200, body: JSON.stringify(faults.list()) };
        }
      }
      if (p === '/__admin/apply-log' && method === 'GET') return { status: 200, body: JSON.stringify(store.applyLog()) };
      if (p === '/__admin/snapshot' && method === 'GET') return { status: 200, body: JSON.stringify(store.snapshot()) };
      if (p === '/__admin/stats' && method === 'GET') return { status: 200, body: JSON.stringify(Object.fromEntries(requests)) };
      if (p === '/__admin/devices' && method === 'POST') {
        const b = json();
        const first = store.seedDevices(Number(b.count ?? 1), (b.partitionId as string | undefined) ?? undefined);
        return { status: 200, body: JSON.stringify({ firstId: first }) };
      }
      if (p === '/__admin/accounts' && method === 'POST') {
        const b = json() as { emailAddress: string; uid?: string; firstName?: string; lastName?: string };
        return { status: 200, body: JSON.stringify(store.insertAccount(b, true)) };
      }
      const m = /^\/__admin\/(devices|accounts)\/(\d+)$/.exec(p);
      if (m) {
        const id = Number(m[2]);
        const isDevice = m[1] === 'devices';
        if (method === 'PATCH') {
          const rec = store.db.transaction(() => (isDevice ? store.patchDevice(id, json()) : store.patchAccount(id, json())))();
          return rec ? { status: 200, body: JSON.stringify(rec) } : { status: 404, body: '{}' };
        }
        if (method === 'DELETE') {
          const ok = isDevice ? store.deleteDevice(id) : store.deleteAccount(id);
          return { status: ok ? 200 : 404, body: '{}' };
        }
      }
      return { status: 404, body: errorBody(`no admin route ${method} ${p}`) };
    } catch (err) {
      return { status: 400, body: errorBody((err as Error).message) };
    }
  }

  function requirePartition(id: string | null): string {
    if (!id) throw new HttpError(400, 'dmPartitionId is required');
    if (!store.hasPartition(id)) throw new HttpError(400, `unknown dmPartitionId ${id}`);
    return id;
  }

  const api: TenantServer = {
    url: '', port: 0, store, faults, requests, onRequest: null,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      api.url = `http://${host}:${addr.port}`;
      api.port = addr.port;
      resolve(api);
    });
  });
}

function paging(q: URLSearchParams): { rows: number; start: number } {
  const rows = Number(q.get('rows') ?? '50');
  const start = Number(q.get('start') ?? '0');
  if (!Number.isInteger(rows) || rows < 1 || rows > 500) throw new HttpError(400, `rows must be 1–500, got ${q.get('rows')}`);
  if (!Number.isInteger(start) || start < 0) throw new HttpError(400, `start must be ≥ 0, got ${q.get('start')}`);
  return { rows, start };
}

function parseFq(fq: string | null): { field: string; value: string } | undefined {
  if (!fq) return undefined;
  const m = /^\s*([A-Za-z][\w.]*)\s*=\s*(.+?)\s*$/.exec(fq);
  if (!m) throw new HttpError(400, `fq "${fq}" is not supported here (field=value only)`);
  return { field: m[1], value: m[2] };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: http.ServerResponse, r: Reply, truncate = false): void {
  const buf = Buffer.from(r.body, 'utf8');
  res.statusCode = r.status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', String(buf.length));
  if (r.etag) res.setHeader('etag', `"${r.etag}"`);
  if (r.retryAfter !== undefined) res.setHeader('retry-after', r.retryAfter);
  if (truncate) {
    res.write(buf.subarray(0, Math.floor(buf.length / 2)));
    setImmediate(() => res.socket?.destroy());
    return;
  }
  res.end(buf);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
