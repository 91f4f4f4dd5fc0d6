/**
 * Fault injection of the reference tenant, per endpoint. A rule matches requests by endpoint key
 * (`METHOD /route`, e.g. `PUT /api/v1/device/retire`, `GET /api/v1/device/{id}`, or `*`) and
 * does one of: answer `status` (with `retryAfter` → Retry-After), `delayMs` then continue, `drop`
 * the connection, `truncate` the body. `when: 'after'` acts after a write was applied (the tenant
 * committed, the client does not learn it). `skip` lets the first N matches pass; `times` is how
 * many matches the rule affects (default 1; Infinity allowed).
 *
 * Flag syntax (`--fault`, repeatable): `ENDPOINT:key=value,key=value`, keys status, retry-after,
 * delay, drop, truncate, after, times, skip — e.g. `PUT /api/v1/device/retire:status=503,retry-after=1,times=2`.
 */

/** A fault rule. */
export interface FaultRule {
  endpoint: string;
  status?: number;
  retryAfter?: number | string;
  delayMs?: number;
  drop?: boolean;
  truncate?: boolean;
  when?: 'before' | 'after';
  times?: number;
  skip?: number;
}

interface LiveRule extends FaultRule {
  seen: number;
  fired: number;
}

/** The fault table; one per server. */
export class FaultTable {
  private rules: LiveRule[] = [];

  /** Adds rules (validated; throws Error with the reason for a bad rule). */
  add(...rules: FaultRule[]): void {
    for (const r of rules) {
      if (typeof r.endpoint !== 'string' || !r.endpoint) throw new Error('fault rule needs an endpoint ("METHOD /route" or "*")');
      if (r.status !== undefined && (!Number.isInteger(r.status) || r.status < 100 || r.status > 599)) throw new Error(`fault status must be 100–599, not ${r.status}`);
      if (r.when !== undefined && r.when !== 'before' && r.when !== 'after') throw new Error('fault "when" must be before or after');
      if (r.status === undefined && !r.delayMs && !r.drop && !r.truncate) throw new Error('fault rule does nothing: give status, delayMs, drop or truncate');
      this.rules.push({ ...r, times: r.times ?? 1, skip: r.skip ?? 0, seen: 0, fired: 0 });
    }
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** Current rules with counters. */
  list(): (FaultRule & { seen: number; fired: number })[] {
    return this.rules.map((r) => ({ ...r, times: r.times === Infinity ? -1 : r.times }));
  }

  /** The rule that fires for this request at this phase, counting it; null when none. */
  take(endpoint: string, phase: 'before' | 'after'): FaultRule | null {
    let chosen: LiveRule | null = null;
    for (const r of this.rules) {
      if (r.endpoint !== '*' && r.endpoint !== endpoint) continue;
      if ((r.when ?? 'before') !== phase) continue;
      if (r.fired >= (r.times ?? 1)) continue;
      r.seen++; // every matching request counts towards `skip`, whichever rule fires
      if (chosen || r.seen <= (r.skip ?? 0)) continue;
      r.fired++;
      chosen = r;
    }
    return chosen;
  }
}

/** Parses one `--fault` flag value (see module comment). Throws Error naming the problem. */
export function parseFaultFlag(text: string): FaultRule {
  const colon = text.indexOf(':');
  if (colon < 0) throw new Error(`--fault "${text}": expected ENDPOINT:key=value,…`);
  const rule: FaultRule = { endpoint: text.slice(0, colon).trim() };
  for (const part of text.slice(colon + 1).split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v = 'true'] = part.split('=');
    const num = (): number => {
      const n = v === 'inf' ? Infinity : Number(v);
      if (Number.isNaN(n)) throw new Error(`--fault ${k}=${v}: not a number`);
      return n;
    };
    switch (k) {
      case 'status': rule.status = num(); break;
      case 'retry-after': rule.retryAfter = v; break;
      case 'delay': rule.delayMs = num(); break;
      case 'drop': rule.drop = v !== 'false'; break;
      case 'truncate': rule.truncate = v !== 'false'; break;
      case 'after': rule.when = v === 'false' ? 'before' : 'after'; break;
      case 'times': rule.times = num(); break;
      case 'skip': rule.skip = num(); break;
      default: throw new Error(`--fault: unknown key "${k}" (status, retry-after, delay, drop, truncate, after, times, skip)`);
    }
  }
  return rule;
}
