/**
 * X.500 subjects in Apple's SCEP/ACME form: `Subject` is an array of RDNs, each an array of
 * `[OID, value]` pairs (com.apple.security.scep.yaml `Subject`; e.g. `/C=US/O=Apple Inc./CN=foo`
 * → `[[["C","US"]],[["O","Apple Inc."]],[["CN","foo"]]]`). OIDs may be dotted numbers or the
 * shortcuts C, L, ST, O, OU, CN (Apple also accepts others the device knows, e.g. emailAddress).
 */
import { ProfileSpecError } from './errors';

/** Apple's subject form: RDN list → attribute list → `[type, value]`. */
export type SubjectArray = [string, string][][];

const ATTR_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/;

/**
 * Parses an OpenSSL-style one-line subject (`/CN=x/O=y`, `+` joins attributes of one RDN, `\`
 * escapes `/`, `+`, `=` or `\`) into Apple's array form. Throws ProfileSpecError naming the bad
 * part (missing leading `/`, empty RDN, `TYPE=value` without `=`, empty value, bad type).
 */
export function parseSubject(text: string): SubjectArray {
  const s = text.trim();
  if (!s.startsWith('/')) throw new ProfileSpecError(`subject "${text}" must start with "/", e.g. /CN=%SerialNumber%/O=Example`);
  const rdns: SubjectArray = [];
  let rdn: [string, string][] = [];
  let cur = '';
  let type: string | undefined;
  const endAttr = () => {
    if (type === undefined) throw new ProfileSpecError(`subject "${text}": "${cur}" has no "=": write TYPE=value such as CN=Device`);
    if (!ATTR_TYPE.test(type)) throw new ProfileSpecError(`subject "${text}": "${type}" is not an attribute type; use CN, O, OU, C, ST, L or a dotted OID`);
    if (cur === '') throw new ProfileSpecError(`subject "${text}": ${type} has an empty value`);
    rdn.push([type, cur]);
    cur = '';
    type = undefined;
  };
  for (let i = 1; i <= s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
    } else if (c === '=' && type === undefined) {
      type = cur.trim();
      cur = '';
    } else if (c === '+' && type !== undefined) {
      endAttr();
    } else if (c === '/' || c === undefined) {
      if (cur === '' && type === undefined && rdn.length === 0) {
        if (c === undefined && rdns.length > 0) break;
        throw new ProfileSpecError(`subject "${text}" has an empty component; remove the doubled or trailing "/"`);
      }
      endAttr();
      rdns.push(rdn);
      rdn = [];
    } else {
      cur += c;
    }
  }
  if (rdns.length === 0) throw new ProfileSpecError(`subject "${text}" is empty; give at least /CN=...`);
  return rdns;
}

/** Formats Apple's subject array back to the one-line form (escaping `/`, `+`, `\`). */
export function formatSubject(subject: SubjectArray): string {
  const esc = (v: string) => v.replace(/[\\/+]/g, (m) => `\\${m}`);
  return subject.map((rdn) => `/${rdn.map(([t, v]) => `${t}=${esc(v)}`).join('+')}`).join('');
}
