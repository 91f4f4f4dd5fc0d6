/**
 * DEP simulator: a loopback node:http server speaking Apple's Device Assignment web service
 * (AppleDocs endpoints; depsim conventions: JSON-quoted error bodies, `GET /token`-style admin
 * access). It checks the OAuth 1.0a signature of `GET /session` with the token secrets, issues
 * session tokens that expire (→ 401) and can rotate (`X-ADM-Auth-Session` in responses), pages
 * devices with cursors that expire and exhaust, simulates device churn, stores profiles and
 * assignments, and plays scripted faults per endpoint (status, body, Retry-After, delay,
 * per-device THROTTLED). Admin endpoints live under `/_admin/` (no auth; loopback only).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DepDevice, DepProfile, DepTokens } from '../../../main/dep/api/types';
import { DeviceStore } from './devices';
import { checkOAuth } from './oauth-check';
import { encryptToken, tokenPlaintext, type IssueTokenOptions } from './token-issuer';

/** A scripted response for an endpoint key like `POST /server/devices` (or `*`). */
export interface Fault {
  /** How many requests it applies to (default 1). */
  count?: number;
  /** Answer with this status instead of handling the request. */
  status?: number;
  /** Response body: a string is sent JSON-quoted (depsim style) unless `raw`; objects as JSON. */
  body?: string | Record<string, unknown>;
  raw?: boolean;
  /** `Retry-After` header value (seconds). */
  retryAfter?: number;
  /** Delay before answering (ms). */
  delayMs?: number;
  /** Handle normally, but answer the first `serials` devices THROTTLED with `retry_after_seconds`. */
  throttle?: { serials: number; retryAfterSeconds?: number };
}

/** Simulator options. */
export interface DepSimulatorOptions {
  /** Devices present at start (default 0). */
  devices?: number;
  /** Session token lifetime, ms (default 30 min). */
  sessionTtlMs?: number;
  /** Cursor lifetime, ms (default 7 days, as Apple). */
  cursorTtlMs?: number;
  /** Rotate the session every N authenticated requests (0 = never). */
  rotateSessionEvery?: number;
  /** Tokens to accept (default: generated). */
  tokens?: DepTokens;
  /** Clock (ms since epoch); default Date.now plus any advance. */
  now?: () => number;
  host?: string;
  port?: number;
}

interface Cursor {
  kind: 'fetch' | 'sync';
  snapshot?: string[];
  pos: number;
  seq: number;
  createdAt: number;
}

/** One logged request (no secrets: the session and Authorization values are not kept). */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  userAgent?: string;
  protocolVersion?: string;
  contentType?: string;
  hadSession: boolean;
  body?: unknown;
}

/** A running simulator. */
export interface DepSimulator {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly store: DeviceStore;
  /** Tokens currently accepted (secrets: tests only). */
  tokens: DepTokens;
  readonly profiles: Map<string, DepProfile & { profile_uuid: string }>;
  /** Every assign/remove call: endpoint, profile_uuid and serials. */
  readonly assignments: { method: string; profile_uuid?: string; serials: string[] }[];
  readonly requests: LoggedRequest[];
  /** Queues faults per endpoint key. */
  fault(endpoint: string, ...faults: Fault[]): void;
  /** Issues a token .p7m for `certificatePem`; `rotate` switches to new credentials (new consumer_key). */
  issueToken(certificatePem: string, o?: IssueTokenOptions & { rotate?: boolean }): Buffer;
  /** Invalidates every session (like a service restart). */
  expireSessions(): void;
  /** Makes every issued cursor expired. */
  expireCursors(): void;
  /** Moves the simulator clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Generates fresh OAuth credentials valid for a year from `nowMs`. */
export function generateTokens(nowMs: number): DepTokens {
  const r = (p: string): string => `${p}_${crypto.randomBytes(20).toString('hex')}`;
  return { consumer_key: r('CK'), consumer_secret: r('CS'), access_token: r('AT'), access_secret: r('AS'), access_token_expiry: new Date(nowMs + 365 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

const ROUTES = new Set(['GET /session', 'GET /account', 'POST /server/devices', 'POST /devices/sync', 'POST /devices', 'POST /profile', 'GET /profile', 'POST /profile/devices', 'PUT /profile/devices', 'DELETE /profile/devices']);

/** Starts a simulator on `host:port` (default 127.0.0.1, an ephemeral port). */
export async function startDepSimulator(o: DepSimulatorOptions = {}): Promise<DepSimulator> {
  let offset = 0;
  const now = (): number => (o.now ? o.now() : Date.now()) + offset;
  const store = new DeviceStore(now);
  store.seed(o.devices ?? 0);
  const sessions = new Map<string, number>();
  const nonces = new Set<string>();
  const cursors = new Map<string, Cursor>();
  const faults = new Map<string, Fault[]>();
  const profiles = new Map<string, DepProfile & { profile_uuid: string }>();
  const assignments: DepSimulator['assignments'] = [];
  const requests: LoggedRequest[] = [];
  let authedRequests = 0;
  const sessionTtl = o.sessionTtlMs ?? 30 * 60_000;
  const cursorTtl = o.cursorTtlMs ?? 7 * 86_400_000;

  const sim = {
    url: '',
    store,
    tokens: o.tokens ?? generateTokens(now()),
    profiles,
    assignments,
    requests,
    fault(endpoint: string, ...fs: Fault[]) {
      const q = faults.get(endpoint) ?? [];
      q.push(...fs.map((f) => ({ ...f })));
      faults.set(endpoint, q);
    },
    issueToken(certificatePem: string, io: IssueTokenOptions & { rotate?: boolean } = {}) {
      if (io.rotate) {
        sim.tokens = generateTokens(now());
        sessions.clear();
      }
      return encryptToken(tokenPlaintext(sim.tokens, io.wrap ?? 64, io.bare), certificatePem, io);
    },
    expireSessions: () => sessions.clear(),
    expireCursors() {
      for (const c of cursors.values()) c.createdAt = -Infinity;
    },
    advance(ms: number) {
      offset += ms;
    },
    close: async () => {},
  };

  const newCursor = (c: Cursor): string => {
    const id = crypto.randomBytes(16).toString('hex').toUpperCase();
    cursors.set(id, c);
    return id;
  };

  const takeFault = (key: string): Fault | undefined => {
    for (const k of [key, '*']) {
      const q = faults.get(k);
      if (!q || q.length === 0) continue;
      const f = q[0];
      f.count = (f.count ?? 1) - 1;
      if (f.count <= 0) q.shift();
      return f;
    }
    return undefined;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const method = req.method ?? 'GET';
    const key = `${method} ${url.pathname}`;
    const log: LoggedRequest = {
      method, path: url.pathname, status: 0, userAgent: req.headers['user-agent'], protocolVersion: req.headers['x-server-protocol-version'] as string | undefined,
      contentType: req.headers['content-type'], hadSession: typeof req.headers['x-adm-auth-session'] === 'string',
    };
    const headers: Record<string, string> = { 'Content-Type': 'application/json;charset=UTF8' };
    const send = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
      log.status = status;
      requests.push(log);
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { ...headers, ...extra, 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
    };
    const error = (status: number, code: string): void => send(status, JSON.stringify(code));

    if (url.pathname.startsWith('/_admin/')) return admin(url, method, raw, send);
    if (!ROUTES.has(key)) return error(ROUTES.has(`GET ${url.pathname}`) || ROUTES.has(`POST ${url.pathname}`) ? 405 : 404, ROUTES.has(`GET ${url.pathname}`) || ROUTES.has(`POST ${url.pathname}`) ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND');
    if (!req.headers['user-agent']) return error(400, 'USER_AGENT_MISSING');

    const fault = takeFault(key);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.status) {
      const extra: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      const body = fault.body === undefined ? '' : typeof fault.body === 'string' ? (fault.raw ? fault.body : JSON.stringify(fault.body)) : JSON.stringify(fault.body);
      return send(fault.status, body, extra);
    }

    if (key === 'GET /session') {
      const check = checkOAuth(req.headers.authorization, method, url.toString(), sim.tokens, nonces, Math.floor(now() / 1000));
      if (!check.ok) return send(check.status, check.body);
      const token = crypto.randomBytes(24).toString('hex');
      sessions.set(token, now() + sessionTtl);
      return send(200, { auth_session_token: token });
    }

    const session = req.headers['x-adm-auth-session'];
    const exp = typeof session === 'string' ? sessions.get(session) : undefined;
    if (exp === undefined || exp <= now()) {
      if (typeof session === 'string') sessions.delete(session);
      return error(401, 'UNAUTHORIZED');
    }
    authedRequests++;
    if (o.rotateSessionEvery && authedRequests % o.rotateSessionEvery === 0) {
      const next = crypto.randomBytes(24).toString('hex');
      sessions.delete(session as string);
      sessions.set(next, now() + sessionTtl);
      headers['X-ADM-Auth-Session'] = next;
    }

    let body: Record<string, unknown> = {};
    if (method !== 'GET' && raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
      } catch {
        return error(400, 'MALFORMED_REQUEST_BODY');
      }
    }
    log.body = method === 'GET' ? undefined : body;
    const limitOf = (): number => {
      const l = body.limit === undefined ? 100 : Number(body.limit);
      return Math.max(1, Math.min(1000, Number.isFinite(l) ? Math.floor(l) : 100));
    };

    switch (key) {
      case 'GET /account':
        return send(200, {
          server_name: 'StageBench Simulator', server_uuid: 'A1B2C3D4-0000-4000-8000-000000000001', admin_id: 'admin@example.com', facilitator_id: 'admin@example.com',
          org_name: 'Example Org', org_email: 'it@example.com', org_phone: '+1 555 0100', org_address: '1 Infinite Loop', org_id: '1234567', org_id_hash: 'abcd',
          org_type: 'org', org_version: 'v2', urls: [...ROUTES].map((r) => ({ uri: r.split(' ')[1], http_method: [r.split(' ')[0]], limit: { default: 100, maximum: 1000 } })),
        });
      case 'POST /server/devices': {
        let c: Cursor;
        if (body.cursor !== undefined) {
          const found = typeof body.cursor === 'string' ? cursors.get(body.cursor) : undefined;
          if (!found) return error(400, 'INVALID_CURSOR');
          if (now() - found.createdAt > cursorTtl) return error(400, 'EXPIRED_CURSOR');
          if (found.kind !== 'fetch' || found.pos >= found.snapshot!.length) return error(400, 'EXHAUSTED_CURSOR');
          c = found;
        } else {
          c = { kind: 'fetch', snapshot: [...store.devices.keys()], pos: 0, seq: store.lastSeq, createdAt: now() };
        }
        const limit = limitOf();
        const slice = c.snapshot!.slice(c.pos, c.pos + limit);
        const devices = slice.map((s) => store.devices.get(s)).filter((d): d is DepDevice => d !== undefined);
        const next: Cursor = { kind: 'fetch', snapshot: c.snapshot, pos: c.pos + slice.length, seq: c.seq, createdAt: now() };
        return send(200, { cursor: newCursor(next), devices, fetched_until: new Date(now()).toISOString(), more_to_follow: next.pos < c.snapshot!.length });
      }
      case 'POST /devices/sync': {
        if (typeof body.cursor !== 'string' || !body.cursor) return error(400, 'CURSOR_REQUIRED');
        const c = cursors.get(body.cursor);
        if (!c) return error(400, 'INVALID_CURSOR');
        if (now() - c.createdAt > cursorTtl) return error(400, 'EXPIRED_CURSOR');
        const { events, more } = store.eventsAfter(c.seq, limitOf());
        const seq = events.length ? events[events.length - 1].seq : c.seq;
        return send(200, { cursor: newCursor({ kind: 'sync', pos: 0, seq, createdAt: now() }), devices: events.map((e) => e.device), fetched_until: new Date(now()).toISOString(), more_to_follow: more });
      }
      case 'POST /devices': {
        const serials = body.devices;
        if (!Array.isArray(serials) || serials.length === 0) return error(400, 'DEVICE_ID_REQUIRED');
        const devices: Record<string, DepDevice> = {};
        for (const s of serials as string[]) {
          const d = store.devices.get(s);
          devices[s] = d ? { ...d, response_status: 'SUCCESS' } : { serial_number: s, response_status: 'NOT_ACCESSIBLE' };
        }
        return send(200, { devices });
      }
      case 'POST /profile': {
        if (typeof body.profile_name !== 'string') return error(400, 'CONFIG_NAME_REQUIRED');
        if (!body.profile_name || [...body.profile_name].length > 125) return error(400, 'CONFIG_NAME_INVALID');
        if (typeof body.url !== 'string') return error(400, 'CONFIG_URL_REQUIRED');
        if (!/^https?:\/\//.test(body.url)) return error(400, 'CONFIG_URL_INVALID');
        if (body.is_mdm_removable === false && body.is_supervised !== true) return error(400, 'FLAGS_INVALID');
        const uuid = crypto.randomBytes(16).toString('hex').toUpperCase();
        const { devices: serials, ...profile } = body as DepProfile;
        profiles.set(uuid, { ...(profile as DepProfile), profile_uuid: uuid });
        return send(200, { profile_uuid: uuid, devices: assign(uuid, Array.isArray(serials) ? serials : [], fault, 'POST /profile').devices });
      }
      case 'GET /profile': {
        const uuid = url.searchParams.get('profile_uuid');
        if (!uuid) return error(400, 'PROFILE_UUID_REQUIRED');
        const p = profiles.get(uuid);
        if (!p) return error(400, 'PROFILE_NOT_FOUND');
        return send(200, p);
      }
      case 'POST /profile/devices':
      case 'PUT /profile/devices': {
        if (typeof body.profile_uuid !== 'string' || !body.profile_uuid) return error(400, 'PROFILE_UUID_REQUIRED');
        if (!Array.isArray(body.devices) || body.devices.length === 0) return error(400, 'DEVICE_ID_REQUIRED');
        if (body.devices.length > 1000) return error(400, 'DEVICE_ID_LIMIT_EXCEEDED');
        if (!profiles.has(body.profile_uuid)) return error(404, 'PROFILE_NOT_FOUND');
        const r = assign(body.profile_uuid, body.devices as string[], fault, key);
        return send(200, { profile_uuid: body.profile_uuid, devices: r.devices, ...(r.retryAfter !== undefined ? { retry_after_seconds: r.retryAfter } : {}) });
      }
      case 'DELETE /profile/devices': {
        if (!Array.isArray(body.devices) || body.devices.length === 0) return error(400, 'DEVICE_ID_REQUIRED');
        if (body.devices.length > 1000) return error(400, 'DEVICE_ID_LIMIT_EXCEEDED');
        const devices: Record<string, string> = {};
        assignments.push({ method: key, profile_uuid: body.profile_uuid as string | undefined, serials: body.devices as string[] });
        for (const s of body.devices as string[]) {
          const d = store.devices.get(s);
          if (!d) devices[s] = 'NOT_ACCESSIBLE';
          else {
            store.modify([s], { profile_status: 'removed', profile_uuid: undefined });
            devices[s] = 'SUCCESS';
          }
        }
        return send(200, { devices });
      }
    }
  };

  function assign(uuid: string, serials: string[], fault: Fault | undefined, method: string): { devices: Record<string, string>; retryAfter?: number } {
    const devices: Record<string, string> = {};
    let throttle = fault?.throttle?.serials ?? 0;
    if (serials.length) assignments.push({ method, profile_uuid: uuid, serials: [...serials] });
    for (const s of serials) {
      if (throttle > 0) {
        throttle--;
        devices[s] = 'THROTTLED';
        continue;
      }
      if (!store.devices.has(s)) {
        devices[s] = 'NOT_ACCESSIBLE';
        continue;
      }
      store.modify([s], { profile_uuid: uuid, profile_status: 'assigned', profile_assign_time: new Date(now()).toISOString() });
      devices[s] = 'SUCCESS';
    }
    return { devices, retryAfter: fault?.throttle ? fault.throttle.retryAfterSeconds ?? 1 : undefined };
  }

  function admin(url: URL, method: string, raw: Buffer, send: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    let body: Record<string, unknown>;
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return send(400, { error: 'admin body must be JSON' });
    }
    const route = `${method} ${url.pathname}`;
    try {
      switch (route) {
        case 'GET /_admin/token':
          return send(200, sim.tokens);
        case 'POST /_admin/token': {
          if (typeof body.certificate_pem !== 'string') return send(400, { error: 'certificate_pem (PEM string) is required' });
          const p7m = sim.issueToken(body.certificate_pem, { rotate: body.rotate === true, cipher: body.cipher as IssueTokenOptions['cipher'], oaep: body.oaep as IssueTokenOptions['oaep'] });
          return send(200, p7m.toString('latin1'), { 'Content-Type': 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"' });
        }
        case 'POST /_admin/devices': {
          const added = body.add !== undefined ? store.add(body.add as number | DepDevice[]) : [];
          const mod = body.modify as { serials: string[]; patch: Partial<DepDevice> } | undefined;
          const modified = mod ? store.modify(mod.serials, mod.patch ?? {}) : [];
          const deleted = Array.isArray(body.delete) ? store.remove(body.delete as string[]) : [];
          if (Array.isArray(body.events)) store.inject(body.events as (DepDevice & { op_type: string; op_date: string })[]);
          return send(200, { added, modified, deleted, total: store.devices.size });
        }
        case 'POST /_admin/faults':
          for (const [k, v] of Object.entries(body)) sim.fault(k, ...(v as Fault[]));
          return send(200, { ok: true });
        case 'POST /_admin/clock':
          sim.advance(Number(body.advance_ms ?? 0));
          return send(200, { now: new Date(now()).toISOString() });
        case 'POST /_admin/expire':
          if (body.sessions) sim.expireSessions();
          if (body.cursors) sim.expireCursors();
          return send(200, { ok: true });
        case 'GET /_admin/state':
          return send(200, { devices: store.devices.size, events: store.events.length, profiles: [...profiles.values()], assignments: assignments.length, requests: requests.length });
        default:
          return send(404, { error: `no admin route ${route}` });
      }
    } catch (err) {
      return send(400, { error: (err as Error).message });
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 8 * 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      if (size > 8 * 1024 * 1024) {
        res.writeHead(413).end();
        return;
      }
      handle(req, res, Buffer.concat(chunks)).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(err.message));
      });
    });
  });
  // Longer than any pause a test's synchronous child processes impose: a client whose event loop
  // was blocked must not reuse a keep-alive socket the server already closed ("fetch failed").
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  sim.url = `http://${addr.address}:${addr.port}`;
  sim.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return sim;
}
