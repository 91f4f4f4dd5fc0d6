/**
 * What each entity accepts: operations and payload shapes, checked before anything is written
 * (validateChange). Payload fields use Ivanti's names (Customer Integration API v1):
 *
 *   device retire|wipe  {note?, serialNumber?, udid?}   → PUT /api/v1/device/retire|wipe ids=…
 *   device update       {attributes: {name: value}}      → PUT /api/v1/device/{id}/customattributes
 *   user create         {emailAddress, uid?, firstName?, lastName?, accountSource? LOCAL|LDAP, sendInvite? (default true)}
 *                                                        → POST /api/v1/accounts?sendInvite=…
 *   user update         {emailAddress?, firstName?, lastName?, enabled?} (at least one)
 *   user invite         {}                               → resend the invitation
 *   user delete         {}
 *
 * `serialNumber`/`udid` on device ops let a service that does not know the tenant device id (the
 * inventory) name the device; the id is then looked up in the mirror, then on the tenant (`fq`).
 */
import { SyncInputError } from './errors';
import type { LocalChange, SyncEntity, SyncOp } from './types';

/** Operations allowed per entity. */
export const ENTITY_OPS: Readonly<Record<SyncEntity, readonly SyncOp[]>> = {
  device: ['retire', 'wipe', 'update'],
  user: ['create', 'update', 'invite', 'delete'],
};

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

type FieldType = 'string' | 'boolean' | 'email' | 'attributes';

const FIELDS: Record<string, Record<string, FieldType>> = {
  'device.retire': { note: 'string', serialNumber: 'string', udid: 'string' },
  'device.wipe': { note: 'string', serialNumber: 'string', udid: 'string' },
  'device.update': { attributes: 'attributes', serialNumber: 'string', udid: 'string' },
  'user.create': { emailAddress: 'email', uid: 'string', firstName: 'string', lastName: 'string', accountSource: 'string', sendInvite: 'boolean' },
  'user.update': { emailAddress: 'email', firstName: 'string', lastName: 'string', enabled: 'boolean' },
  'user.invite': {},
  'user.delete': {},
};

/**
 * Checks a change and returns its normalised payload. Throws SyncInputError naming the problem:
 * unknown entity or op, empty/oversized entityId, unknown or mistyped payload field, missing
 * required field (user create: emailAddress; device update: attributes; user update: one field).
 */
export function validateChange(c: LocalChange): Record<string, unknown> {
  if (!c || typeof c !== 'object') throw new SyncInputError('a local change must be an object {entity, entityId, op, payload, baseRevision}');
  if (!(c.entity in ENTITY_OPS)) throw new SyncInputError(`entity must be one of ${Object.keys(ENTITY_OPS).join(', ')}, not "${String(c.entity)}"`);
  if (!ENTITY_OPS[c.entity].includes(c.op)) throw new SyncInputError(`op for ${c.entity} must be one of ${ENTITY_OPS[c.entity].join(', ')}, not "${String(c.op)}"`);
  if (typeof c.entityId !== 'string' || !c.entityId.trim() || c.entityId.length > 200) throw new SyncInputError('entityId must be a non-empty string of at most 200 characters');
  if (c.baseRevision !== undefined && c.baseRevision !== null && typeof c.baseRevision !== 'string') throw new SyncInputError('baseRevision must be a string, null or omitted');
  const payload = c.payload ?? {};
  if (typeof payload !== 'object' || Array.isArray(payload)) throw new SyncInputError('payload must be an object');
  const spec = FIELDS[`${c.entity}.${c.op}`];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (v === undefined) continue;
    const t = spec[k];
    if (!t) throw new SyncInputError(`${c.entity} ${c.op}: unknown payload field "${k}"${Object.keys(spec).length ? ` (allowed: ${Object.keys(spec).join(', ')})` : ' (takes no fields)'}`);
    switch (t) {
      case 'string':
        if (typeof v !== 'string' || v.length > 1024) throw new SyncInputError(`${c.entity} ${c.op}: ${k} must be a string of at most 1024 characters`);
        break;
      case 'boolean':
        if (typeof v !== 'boolean') throw new SyncInputError(`${c.entity} ${c.op}: ${k} must be true or false`);
        break;
      case 'email':
        if (typeof v !== 'string' || !EMAIL.test(v) || v.length > 254) throw new SyncInputError(`${c.entity} ${c.op}: ${k} must be an email address, not "${String(v)}"`);
        break;
      case 'attributes': {
        if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.keys(v).length === 0) throw new SyncInputError(`${c.entity} ${c.op}: ${k} must be a non-empty object {name: value}`);
        for (const [an, av] of Object.entries(v)) {
          if (!/^[\w .-]{1,64}$/.test(an)) throw new SyncInputError(`${c.entity} ${c.op}: attribute name "${an}" must be 1–64 letters, digits, space, _ . -`);
          if (typeof av !== 'string' || av.length > 1024) throw new SyncInputError(`${c.entity} ${c.op}: attribute ${an} must be a string of at most 1024 characters`);
        }
        break;
      }
    }
    out[k] = v;
  }
  if (c.entity === 'user' && c.op === 'create') {
    if (!out.emailAddress) throw new SyncInputError('user create: emailAddress is required');
    if (out.accountSource !== undefined && out.accountSource !== 'LOCAL' && out.accountSource !== 'LDAP') throw new SyncInputError('user create: accountSource must be LOCAL or LDAP');
    out.sendInvite ??= true;
  }
  if (c.entity === 'user' && c.op === 'update' && Object.keys(out).length === 0) throw new SyncInputError('user update: give at least one of emailAddress, firstName, lastName, enabled');
  if (c.entity === 'device' && c.op === 'update' && !out.attributes) throw new SyncInputError('device update: attributes is required');
  return out;
}
