/**
 * The tenant adapter: typed calls of the Ivanti Neurons for MDM Customer Integration API v1
 * (MobileIron Cloud; help.ivanti.com "MDM Customer Integration API Guide") over TenantHttp.
 *
 *   GET  /api/v1/tenant/partition/device                  device spaces; the default has defaultPartition=true
 *   GET  /api/v1/device?dmPartitionId=&rows=&start=&fq=   devices, rows 1–500
 *   GET  /api/v1/device/{id}?dmPartitionId=                one device
 *   PUT  /api/v1/device/retire|wipe   form ids=…           device actions → result = count
 *   PUT  /api/v1/device/{id}/customattributes              custom attributes (JSON {attrs})
 *   GET  /api/v1/account?rows=&start=&fq=                  accounts ("Get All Accounts", fq=UID=…)
 *   POST /api/v1/accounts?sendInvite=true  form accounts[0].emailAddress=…&accounts[0].uid=…&accounts[0].accountSource=LOCAL
 *   PUT  /api/v1/account/{id}  form                        update an account ("Update User Account")
 *   PUT  /api/v1/account/invite form ids=…                 (re)send the invitation ("Invite User")
 *   DELETE /api/v1/account/{id}                            delete an account
 *
 * The account update/invite/delete paths follow the guide's chapter names; their exact paths are
 * not in the public excerpts and are those the StageBench reference tenant serves. Every write
 * sends `Idempotency-Key` (IETF httpapi-idempotency-key draft) and, when a base revision is known,
 * `If-Match` (RFC 9110 §13.1.1); a tenant that ignores them still gets a valid Ivanti request.
 */
import { TenantConflictError, TenantInputError, TenantNotFoundError, TenantRejectedError, TenantError } from './errors';
import { TenantHttp, type TenantHttpOptions, type TenantJsonResponse } from './http';
import type { DevicePartition, IvantiEnvelope, Page, SearchResult, TenantAccount, TenantDevice, WriteOptions, WriteResult } from './types';
import { revisionOf } from './types';

/** Largest `rows` the API accepts. */
export const MAX_ROWS = 500;

/** Fields of a new account (Create User without Password). `uid` defaults to `emailAddress`. */
export interface NewAccount {
  emailAddress: string;
  uid?: string;
  firstName?: string;
  lastName?: string;
  /** LOCAL (default) or LDAP. */
  accountSource?: string;
}

/** Account fields that can be updated. */
export interface AccountUpdate {
  emailAddress?: string;
  firstName?: string;
  lastName?: string;
  enabled?: boolean;
}

/** Result of a connectivity probe. `online` = the tenant answered HTTP at all (even 401). */
export interface ProbeResult {
  online: boolean;
  /** The credentials were accepted (2xx). */
  authorized: boolean;
  latencyMs: number;
  error?: string;
}

/** The client. Throws the errors of ./errors from every call. */
export class TenantClient {
  readonly http: TenantHttp;

  /** `opts` as for TenantHttp (URL, user, password, retry policy, clock). */
  constructor(opts: TenantHttpOptions | TenantHttp) {
    this.http = opts instanceof TenantHttp ? opts : new TenantHttp(opts);
  }

  /** Device spaces (`GET /api/v1/tenant/partition/device`). */
  async partitions(): Promise<DevicePartition[]> {
    const res = await this.http.requestJson<IvantiEnvelope<SearchResult<DevicePartition> | DevicePartition[]>>({ method: 'GET', path: '/api/v1/tenant/partition/device' });
    const result = ok(res, 'list device spaces').result;
    return Array.isArray(result) ? result : result?.searchResults ?? [];
  }

  /**
   * The device space named `name` (case-insensitive), or the one with `defaultPartition: true`
   * when `name` is empty. Throws TenantInputError naming the spaces that exist when none matches.
   */
  async resolvePartition(name?: string | null): Promise<DevicePartition> {
    const all = await this.partitions();
    const found = name ? all.find((p) => p.name.toLowerCase() === name.toLowerCase()) : all.find((p) => p.defaultPartition);
    if (!found) {
      throw new TenantInputError(name
        ? `the tenant has no device space named "${name}"; it has: ${all.map((p) => p.name).join(', ') || '(none)'}`
        : 'the tenant reports no default device space (defaultPartition); pass --partition NAME');
    }
    return found;
  }

  /** One page of devices. `rows` 1–500 (else TenantInputError), `start` ≥ 0 offset. */
  async listDevices(q: { dmPartitionId: string; rows: number; start: number; fq?: string }): Promise<Page<TenantDevice>> {
    checkPaging(q.rows, q.start);
    const params = new URLSearchParams({ dmPartitionId: q.dmPartitionId, rows: String(q.rows), start: String(q.start) });
    if (q.fq) params.set('fq', q.fq);
    return page(await this.http.requestJson<IvantiEnvelope<SearchResult<TenantDevice>>>({ method: 'GET', path: `/api/v1/device?${params}` }), 'list devices');
  }

  /** One device, or null when the tenant answers 404. */
  async getDevice(id: string, dmPartitionId: string): Promise<TenantDevice | null> {
    const res = await this.http.requestJson<IvantiEnvelope<TenantDevice>>({ method: 'GET', path: `/api/v1/device/${encodeURIComponent(id)}?${new URLSearchParams({ dmPartitionId })}` });
    if (res.status === 404) return null;
    return ok(res, `get device ${id}`).result ?? null;
  }

  /** `PUT /api/v1/device/retire|wipe` with form `ids` (one id per call here, so If-Match applies to it). */
  async deviceAction(action: 'retire' | 'wipe', id: string, dmPartitionId: string, opts: WriteOptions & { note?: string } = {}): Promise<WriteResult<TenantDevice>> {
    const form = new URLSearchParams({ ids: id, dmPartitionId });
    if (opts.note) form.set('note', opts.note);
    const res = await this.http.requestJson<IvantiEnvelope<number>>({ method: 'PUT', path: `/api/v1/device/${action}`, body: form.toString(), headers: writeHeaders(opts) });
    ok(res, `${action} device ${id}`);
    return { revision: etag(res), record: null };
  }

  /** `PUT /api/v1/device/{id}/customattributes` with JSON `{"attrs": {name: value}}`. */
  async updateDeviceAttributes(id: string, dmPartitionId: string, attrs: Record<string, string>, opts: WriteOptions = {}): Promise<WriteResult<TenantDevice>> {
    const res = await this.http.requestJson<IvantiEnvelope<TenantDevice | null>>({
      method: 'PUT', path: `/api/v1/device/${encodeURIComponent(id)}/customattributes?${new URLSearchParams({ dmPartitionId })}`,
      body: JSON.stringify({ attrs }), contentType: 'application/json', headers: writeHeaders(opts),
    });
    const record = ok(res, `update device ${id}`).result ?? null;
    return { revision: etag(res) ?? revisionOf(record), record: typeof record === 'object' ? record : null };
  }

  /** One page of accounts (`GET /api/v1/account`). */
  async listAccounts(q: { rows: number; start: number; fq?: string }): Promise<Page<TenantAccount>> {
    checkPaging(q.rows, q.start);
    const params = new URLSearchParams({ rows: String(q.rows), start: String(q.start) });
    if (q.fq) params.set('fq', q.fq);
    return page(await this.http.requestJson<IvantiEnvelope<SearchResult<TenantAccount>>>({ method: 'GET', path: `/api/v1/account?${params}` }), 'list accounts');
  }

  /** The account with tenant id `id` (`fq=id=<id>`), or null. */
  async getAccount(id: string): Promise<TenantAccount | null> {
    const p = await this.listAccounts({ rows: 1, start: 0, fq: `id=${id}` });
    return p.records.find((a) => String(a.id) === id) ?? null;
  }

  /** `POST /api/v1/accounts?sendInvite=true|false` (form `accounts[0].…`). Returns the new account. */
  async createAccount(a: NewAccount, sendInvite: boolean, opts: WriteOptions = {}): Promise<WriteResult<TenantAccount>> {
    const form = new URLSearchParams();
    form.set('accounts[0].emailAddress', a.emailAddress);
    form.set('accounts[0].uid', a.uid ?? a.emailAddress);
    form.set('accounts[0].accountSource', a.accountSource ?? 'LOCAL');
    if (a.firstName) form.set('accounts[0].firstName', a.firstName);
    if (a.lastName) form.set('accounts[0].lastName', a.lastName);
    const res = await this.http.requestJson<IvantiEnvelope<TenantAccount | TenantAccount[]>>({ method: 'POST', path: `/api/v1/accounts?sendInvite=${sendInvite}`, body: form.toString(), headers: writeHeaders(opts) });
    const r = ok(res, `create account ${a.emailAddress}`).result;
    const record = Array.isArray(r) ? r[0] ?? null : r ?? null;
    if (!record || record.id === undefined) throw new TenantError(`create account ${a.emailAddress}: the tenant returned no account id`);
    return { revision: etag(res) ?? revisionOf(record), record };
  }

  /** `PUT /api/v1/account/{id}` (form fields). Returns the updated account when the tenant sends it. */
  async updateAccount(id: string, fields: AccountUpdate, opts: WriteOptions = {}): Promise<WriteResult<TenantAccount>> {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.set(k, String(v));
    const res = await this.http.requestJson<IvantiEnvelope<TenantAccount | null>>({ method: 'PUT', path: `/api/v1/account/${encodeURIComponent(id)}`, body: form.toString(), headers: writeHeaders(opts) });
    const record = ok(res, `update account ${id}`).result ?? null;
    return { revision: etag(res) ?? revisionOf(record), record };
  }

  /** `PUT /api/v1/account/invite` form `ids=<id>`: (re)sends the invitation. */
  async sendInvite(id: string, opts: WriteOptions = {}): Promise<WriteResult<TenantAccount>> {
    const res = await this.http.requestJson<IvantiEnvelope<number>>({ method: 'PUT', path: '/api/v1/account/invite', body: new URLSearchParams({ ids: id }).toString(), headers: writeHeaders(opts) });
    ok(res, `invite account ${id}`);
    return { revision: etag(res), record: null };
  }

  /** `DELETE /api/v1/account/{id}`. */
  async deleteAccount(id: string, opts: WriteOptions = {}): Promise<WriteResult<TenantAccount>> {
    const res = await this.http.requestJson<IvantiEnvelope<number>>({ method: 'DELETE', path: `/api/v1/account/${encodeURIComponent(id)}`, headers: writeHeaders(opts) });
    ok(res, `delete account ${id}`);
    return { revision: null, record: null };
  }

  /**
   * Connectivity probe: one `GET /api/v1/tenant/partition/device` without retries and with a
   * short timeout (default 3000 ms). Never throws.
   */
  async probe(timeoutMs = 3000): Promise<ProbeResult> {
    const t0 = Date.now();
    try {
      const res = await this.http.request({ method: 'GET', path: '/api/v1/tenant/partition/device', retry: false, timeoutMs });
      return { online: true, authorized: res.status >= 200 && res.status < 300, latencyMs: Date.now() - t0 };
    } catch (err) {
      const e = err as TenantError;
      const answered = e.status !== undefined;
      return { online: answered, authorized: false, latencyMs: Date.now() - t0, error: e.message };
    }
  }

  /** Closes pooled connections. */
  close(): void {
    this.http.close();
  }
}

function checkPaging(rows: number, start: number): void {
  if (!Number.isInteger(rows) || rows < 1 || rows > MAX_ROWS) throw new TenantInputError(`rows must be a whole number from 1 to ${MAX_ROWS}, not ${rows}`);
  if (!Number.isInteger(start) || start < 0) throw new TenantInputError(`start must be a whole number ≥ 0, not ${start}`);
}

function writeHeaders(opts: WriteOptions): Record<string, string> {
  const h: Record<string, string> = {};
  if (opts.idempotencyKey) h['idempotency-key'] = opts.idempotencyKey;
  if (opts.ifMatch !== undefined && opts.ifMatch !== null) h['if-match'] = `"${opts.ifMatch}"`;
  return h;
}

function etag(res: TenantJsonResponse<unknown>): string | null {
  const v = res.headers.etag;
  if (typeof v !== 'string' || !v) return null;
  return v.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function errorText(json: unknown): string {
  const errors = (json as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors)) return errors.map((e) => (typeof e === 'string' ? e : (e as { message?: string }).message ?? JSON.stringify(e))).join('; ');
  if (typeof errors === 'string') return errors;
  return '';
}

function ok<T>(res: TenantJsonResponse<IvantiEnvelope<T>>, what: string): IvantiEnvelope<T> {
  if (res.status >= 200 && res.status < 300) {
    if (!res.json || typeof res.json !== 'object') throw new TenantError(`${what}: the tenant sent no JSON envelope`);
    return res.json;
  }
  const detail = errorText(res.json);
  const msg = `${what}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`;
  if (res.status === 404) throw new TenantNotFoundError(msg);
  if (res.status === 409 || res.status === 412) throw new TenantConflictError(msg, res.status);
  throw new TenantRejectedError(msg, res.status);
}

function page<T>(res: TenantJsonResponse<IvantiEnvelope<SearchResult<T>>>, what: string): Page<T> {
  const r = ok(res, what).result;
  if (!r || !Array.isArray(r.searchResults) || typeof r.totalCount !== 'number') throw new TenantError(`${what}: the tenant's answer has no result.searchResults/totalCount`);
  return { totalCount: r.totalCount, records: r.searchResults };
}
