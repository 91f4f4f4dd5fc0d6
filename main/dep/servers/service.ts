/**
 * The ABM server service ("Admin > Apple > Device Enrollment" in Ivanti Neurons for MDM): add a
 * server (key pair; "Download Public Key"), Upload New Token, Test Connection, Full Sync, Delete,
 * the listing, ADE devices, and — for the DEP profiles module — an authenticated DepClient and
 * recorded profile assignment. Secrets (server private key, token secrets, session) are sealed
 * at rest with the SecretBox and never logged or returned.
 */
import crypto from 'node:crypto';
import type { SecretBox } from '../../secrets';
import { appendAudit, type Db } from '../../store';
import type { RetryPolicy } from '../api/backoff';
import { DepClient, type DepClientEvent } from '../api/client';
import { DepApiError } from '../api/errors';
import { DEFAULT_DEP_BASE_URL, type AccountDetail, type BatchAssignResult, type DepTokens } from '../api/types';
import { currentSyncLock, SyncInProgressError, type SyncLockOptions } from '../sync/lock';
import { resetSyncState } from '../sync/state';
import { runDeviceSync, type SyncProgress, type SyncResult } from '../sync/syncer';
import { ServerTokenError } from '../token/errors';
import { tokenExpiryWarning, type TokenExpiryWarning } from '../token/expiry';
import { generateServerKeyPair } from '../token/keypair';
import { openServerToken } from '../token/open-token';
import { listAssignmentResults, recordAssignmentResults, type AssignmentResultRow } from './assignments';
import { DepInputError } from './errors';
import { queryDevices, queryServers, type DepDeviceRow, type DepServerRow, type DeviceListQuery, type ServerListQuery } from './queries';

/** Options of createDepServerService; everything is optional and mostly for tests. */
export interface DepServerServiceOptions {
  /** Injected into every DepClient (tests: fake clock/sleep; the simulator needs none). */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Clock, ms since epoch. */
  now?: () => number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  userAgent?: string;
  protocolVersion?: number;
  assignMethod?: 'POST' | 'PUT';
  /** Sync-lock options (stale-after, pid check). */
  lock?: SyncLockOptions;
  /** Client events (retries, re-auth, throttling), e.g. for CLI progress on stderr. */
  onClientEvent?: (serverId: string, e: DepClientEvent) => void;
}

/** Input of add(). */
export interface AddServerInput {
  /** Display name (1–100 characters, unique, case-insensitive). */
  name: string;
  /** Device Assignment base URL (default https://mdmenrollment.apple.com); http only for loopback. */
  baseUrl?: string;
  /** Validity of the public-key certificate in days (default 365). */
  certificateDays?: number;
}

/** Result of uploadToken(). No secret is included. */
export interface TokenUploadResult {
  server: DepServerRow;
  consumerKeyChanged: boolean;
  tokenExpires: string;
  warning: TokenExpiryWarning;
  keyTransport: string;
  contentCipher: string;
}

/** Result of testConnection(). */
export interface TestConnectionResult {
  ok: true;
  account: AccountDetail;
  server: DepServerRow;
}

/** The service. Server arguments accept the id or the (case-insensitive) name. */
export interface DepServerService {
  /** Creates a server with a new RSA-2048 key pair; returns it and the PEM certificate to upload to ABM. */
  add(input: AddServerInput): { server: DepServerRow; publicKeyPem: string };
  /** The listing (search, sort from SERVER_SORT_COLUMNS). */
  list(q?: ServerListQuery): DepServerRow[];
  /** One server. Throws DepInputError when unknown. */
  get(idOrName: string): DepServerRow;
  /** "Download Public Key": the PEM certificate to upload to ABM. */
  publicKey(idOrName: string): string;
  /** Changes the base URL (e.g. a simulator). */
  setBaseUrl(idOrName: string, baseUrl: string): DepServerRow;
  /**
   * "Upload New Token": decrypts the `.p7m` with the server key and stores the token sealed.
   * Refuses a token whose consumer_key differs from the stored one unless `confirmNewConsumerKey`.
   * Throws ServerTokenError (nothing changed) for a bad file.
   */
  uploadToken(idOrName: string, p7m: Uint8Array, opts?: { confirmNewConsumerKey?: boolean }): TokenUploadResult;
  /** "Test Connection": GET /session + GET /account; stores the account facts. Throws DepApiError. */
  testConnection(idOrName: string): Promise<TestConnectionResult>;
  /** Device sync ("Full Sync" with `full`). Throws SyncInProgressError / DepApiError. */
  sync(idOrName: string, opts?: { full?: boolean; limit?: number; onProgress?: (p: SyncProgress) => void }): Promise<SyncResult>;
  /** Deletes the server, its devices, sync state and results. Refused while a sync runs. */
  delete(idOrName: string): void;
  /** ADE devices (all servers, or `serverId` — id or name). */
  devices(q?: DeviceListQuery): DepDeviceRow[];
  /** An authenticated client for the server's token (for DEP profiles: defineProfile, getProfile ...). */
  client(idOrName: string): DepClient;
  /** Assigns `profileUuid` to serials in ≤ 1000 batches; records every per-device result. */
  assignProfile(idOrName: string, profileUuid: string, serials: readonly string[], opts?: { batchSize?: number }): Promise<BatchAssignResult & { batchId: string }>;
  /** Removes the profile from serials; records results. */
  removeProfile(idOrName: string, serials: readonly string[], opts?: { profileUuid?: string; batchSize?: number }): Promise<BatchAssignResult & { batchId: string }>;
  /** Recorded per-device results, newest first. */
  assignmentResults(idOrName: string, f?: { serial?: string; batchId?: string; limit?: number }): AssignmentResultRow[];
}

interface ServerSecrets {
  id: string;
  name: string;
  base_url: string;
  certificate_pem: string;
  private_key_sealed: Buffer;
  consumer_key: string | null;
  tokens_sealed: Buffer | null;
}

/**
 * Validates a Device Assignment base URL: absolute http(s), no query or fragment; plain http
 * only for loopback hosts (simulators). Returns it without a trailing slash. Throws DepInputError.
 */
export function validateBaseUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    throw new DepInputError(`base URL "${value}" is not a URL; use e.g. ${DEFAULT_DEP_BASE_URL}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new DepInputError(`base URL "${value}" must use https`);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol === 'http:' && !loopback) throw new DepInputError(`base URL "${value}" must use https (plain http is allowed only for a loopback simulator)`);
  if (u.search || u.hash || u.username || u.password) throw new DepInputError(`base URL "${value}" must not carry a query, fragment or credentials`);
  return u.toString().replace(/\/+$/, '');
}

/**
 * Builds the service over the cache `db` and `box` (seals private keys and tokens); `actor` is
 * recorded in the audit trail (e.g. "cli:alice").
 */
export function createDepServerService(db: Db, box: SecretBox, actor: string, opts: DepServerServiceOptions = {}): DepServerService {
  const now = opts.now ?? Date.now;
  const iso = (): string => new Date(now()).toISOString();
  /** Session tokens per server, in memory only. */
  const sessions = new Map<string, string>();

  const resolve = (idOrName: string): ServerSecrets => {
    const key = (idOrName ?? '').trim();
    if (!key) throw new DepInputError('name the ABM server (its id or name; see `stagebench dep server list`)');
    const rows = db.prepare('SELECT id, name, base_url, certificate_pem, private_key_sealed, consumer_key, tokens_sealed FROM dep_servers WHERE id = ? OR name = ? COLLATE NOCASE').all(key, key) as ServerSecrets[];
    const row = rows.find((r) => r.id === key) ?? rows[0];
    if (!row) throw new DepInputError(`no ABM server "${key}"; see \`stagebench dep server list\``);
    return row;
  };
  const row = (id: string): DepServerRow => queryServers(db, { now: new Date(now()) }, id)[0];

  const tokensOf = (s: ServerSecrets): DepTokens => {
    if (!s.tokens_sealed) throw new DepInputError(`ABM server "${s.name}" has no server token yet: upload it (stagebench dep token upload ${s.id} FILE_smime.p7m)`);
    return JSON.parse(box.open(s.tokens_sealed).toString('utf8')) as DepTokens;
  };

  const clientFor = (s: ServerSecrets): DepClient =>
    new DepClient({
      tokens: tokensOf(s),
      baseUrl: s.base_url,
      userAgent: opts.userAgent,
      protocolVersion: opts.protocolVersion,
      timeoutMs: opts.timeoutMs,
      retry: opts.retry,
      assignMethod: opts.assignMethod,
      fetch: opts.fetch,
      sleep: opts.sleep,
      random: opts.random,
      now: opts.now,
      sessionToken: sessions.get(s.id),
      onSessionToken: (t) => sessions.set(s.id, t),
      onEvent: opts.onClientEvent ? (e) => opts.onClientEvent!(s.id, e) : undefined,
    });

  const audit = (action: string, target: string, outcome: 'success' | 'failure', detail = ''): void => {
    appendAudit(db, { actor, action, target, outcome, detail, at: iso() });
  };

  const assignLike = async (
    action: 'assign' | 'remove',
    idOrName: string,
    serials: readonly string[],
    profileUuid: string | undefined,
    batchSize: number | undefined,
  ): Promise<BatchAssignResult & { batchId: string }> => {
    const s = resolve(idOrName);
    if (action === 'assign' && !profileUuid) throw new DepInputError('name the profile_uuid to assign');
    const client = clientFor(s);
    const batchId = crypto.randomUUID();
    const record = (r: { devices?: Record<string, string> }): void =>
      recordAssignmentResults(db, { serverId: s.id, batchId, action, profileUuid: profileUuid ?? null, devices: r.devices ?? {}, at: iso(), actor });
    try {
      const result = action === 'assign'
        ? await client.assignProfile(profileUuid!, serials, { batchSize, onBatch: record })
        : await client.removeProfile(serials, { profileUuid, batchSize, onBatch: record });
      const counts = Object.values(result.devices).reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
      audit(`dep.profile.${action}`, s.name, 'success', `${profileUuid ?? ''} ${JSON.stringify(counts)} batch ${batchId}`.trim());
      return { ...result, batchId };
    } catch (err) {
      audit(`dep.profile.${action}`, s.name, 'failure', (err as Error).message.slice(0, 300));
      throw err;
    }
  };

  return {
    add(input) {
      const name = (input.name ?? '').trim();
      if (!name) throw new DepInputError('the server needs a name (--name), e.g. the MDM server name used in Apple Business Manager');
      if (name.length > 100) throw new DepInputError(`the server name is ${name.length} characters; use at most 100`);
      const baseUrl = validateBaseUrl(input.baseUrl ?? DEFAULT_DEP_BASE_URL);
      if (db.prepare('SELECT 1 FROM dep_servers WHERE name = ? COLLATE NOCASE').get(name)) throw new DepInputError(`an ABM server named "${name}" already exists; choose another name`);
      const kp = generateServerKeyPair({ commonName: `StageBench ADE ${name}`.slice(0, 64), days: input.certificateDays, now: now() });
      const id = crypto.randomUUID();
      const at = iso();
      db.transaction(() => {
        db.prepare(`INSERT INTO dep_servers (id, name, base_url, certificate_pem, cert_fingerprint, cert_not_after, private_key_sealed, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(id, name, baseUrl, kp.certificatePem, kp.fingerprintSha256, kp.notAfter, box.seal(Buffer.from(kp.privateKeyPem, 'utf8')), at);
        db.prepare('INSERT INTO dep_sync_state (server_id) VALUES (?)').run(id);
        audit('dep.server.add', name, 'success', `certificate ${kp.fingerprintSha256}`);
      })();
      return { server: row(id), publicKeyPem: kp.certificatePem };
    },

    list: (q = {}) => queryServers(db, { now: new Date(now()), ...q }),
    get: (idOrName) => row(resolve(idOrName).id),
    publicKey: (idOrName) => resolve(idOrName).certificate_pem,

    setBaseUrl(idOrName, baseUrl) {
      const s = resolve(idOrName);
      const url = validateBaseUrl(baseUrl);
      db.transaction(() => {
        db.prepare('UPDATE dep_servers SET base_url = ? WHERE id = ?').run(url, s.id);
        audit('dep.server.base-url', s.name, 'success', url);
      })();
      sessions.delete(s.id);
      return row(s.id);
    },

    uploadToken(idOrName, p7m, o = {}) {
      const s = resolve(idOrName);
      const privateKeyPem = box.open(s.private_key_sealed).toString('utf8');
      const opened = openServerToken(p7m, { privateKeyPem, certificatePem: s.certificate_pem });
      const t = opened.tokens;
      const changed = s.consumer_key !== null && s.consumer_key !== t.consumer_key;
      if (changed && !o.confirmNewConsumerKey) {
        throw new ServerTokenError(`this token has a different consumer_key than the current token of "${s.name}": it belongs to another MDM server in Apple Business Manager, and the devices synced so far would no longer match; if that is intended, upload it again confirming the new consumer key (--confirm-new-consumer-key)`, 'consumer-key');
      }
      const at = iso();
      db.transaction(() => {
        db.prepare('UPDATE dep_servers SET consumer_key = ?, tokens_sealed = ?, access_token_expiry = ?, token_uploaded_at = ? WHERE id = ?')
          .run(t.consumer_key, box.seal(Buffer.from(JSON.stringify(t), 'utf8')), t.access_token_expiry, at, s.id);
        if (changed) resetSyncState(db, s.id);
        audit('dep.token.upload', s.name, 'success', `expires ${t.access_token_expiry}${changed ? '; new consumer key confirmed, cursor reset' : ''}`);
      })();
      sessions.delete(s.id);
      return {
        server: row(s.id),
        consumerKeyChanged: changed,
        tokenExpires: t.access_token_expiry,
        warning: tokenExpiryWarning(t.access_token_expiry, new Date(now())),
        keyTransport: opened.keyTransport,
        contentCipher: opened.contentCipher,
      };
    },

    async testConnection(idOrName) {
      const s = resolve(idOrName);
      const client = clientFor(s);
      try {
        await client.authenticate();
        const account = await client.account();
        if (!account || typeof account !== 'object') throw new DepApiError('GET /account: the response is not an AccountDetail', 'GET /account', 200, undefined, '');
        const at = iso();
        db.transaction(() => {
          db.prepare(`UPDATE dep_servers SET server_name = ?, server_uuid = ?, admin_id = ?, org_name = ?, org_email = ?, org_id = ?, org_type = ?, account_checked_at = ? WHERE id = ?`)
            .run(account.server_name ?? null, account.server_uuid ?? null, account.admin_id ?? null, account.org_name ?? null, account.org_email ?? null, account.org_id ?? null, account.org_type ?? null, at, s.id);
          audit('dep.server.test', s.name, 'success', `${account.server_name ?? ''} / ${account.org_name ?? ''}`);
        })();
        return { ok: true, account, server: row(s.id) };
      } catch (err) {
        audit('dep.server.test', s.name, 'failure', (err as Error).message.slice(0, 300));
        throw err;
      }
    },

    async sync(idOrName, o = {}) {
      const s = resolve(idOrName);
      const client = clientFor(s);
      try {
        const result = await runDeviceSync(db, client, s.id, { full: o.full, limit: o.limit, onProgress: o.onProgress, lock: opts.lock, now });
        const at = iso();
        db.transaction(() => {
          db.prepare("UPDATE dep_servers SET last_sync_at = ?, last_sync_status = 'succeeded', last_sync_error = NULL WHERE id = ?").run(at, s.id);
          audit(o.full ? 'dep.sync.full' : 'dep.sync', s.name, 'success', `${result.mode}: ${result.received} received, +${result.added} ~${result.modified} -${result.deleted} pruned ${result.pruned}`);
        })();
        return result;
      } catch (err) {
        if (!(err instanceof SyncInProgressError) && !(err instanceof RangeError)) {
          db.prepare("UPDATE dep_servers SET last_sync_at = ?, last_sync_status = 'failed', last_sync_error = ? WHERE id = ?").run(iso(), (err as Error).message.slice(0, 500), s.id);
        }
        audit(o.full ? 'dep.sync.full' : 'dep.sync', s.name, 'failure', (err as Error).message.slice(0, 300));
        if (err instanceof RangeError) throw new DepInputError(err.message);
        throw err;
      }
    },

    delete(idOrName) {
      const s = resolve(idOrName);
      const running = currentSyncLock(db, s.id, { now, ...opts.lock });
      if (running) throw new SyncInProgressError(`ABM server "${s.name}" is syncing (since ${running.acquiredAt}); delete it after the sync finishes`);
      try {
        db.transaction(() => {
          db.prepare('DELETE FROM dep_servers WHERE id = ?').run(s.id);
          audit('dep.server.delete', s.name, 'success', s.id);
        })();
      } catch (err) {
        if (/FOREIGN KEY/i.test((err as Error).message)) throw new DepInputError(`ABM server "${s.name}" is still referenced (e.g. by DEP profiles); delete those first`);
        throw err;
      }
      sessions.delete(s.id);
    },

    devices(q = {}) {
      return queryDevices(db, { ...q, serverId: q.serverId ? resolve(q.serverId).id : undefined });
    },

    client: (idOrName) => clientFor(resolve(idOrName)),
    assignProfile: (idOrName, profileUuid, serials, o = {}) => assignLike('assign', idOrName, serials, profileUuid, o.batchSize),
    removeProfile: (idOrName, serials, o = {}) => assignLike('remove', idOrName, serials, o.profileUuid, o.batchSize),
    assignmentResults: (idOrName, f = {}) => listAssignmentResults(db, resolve(idOrName).id, f),
  };
}
