/**
 * Secret scanner for the at-rest/log tests: looks for each secret in every file of a directory
 * tree in the encodings a leak would most likely take — raw bytes, UTF-16LE, hex (both cases),
 * base64 and base64url at all three byte alignments (so a secret inside a larger base64 blob is
 * found too), URL-encoding and JSON string escaping.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A named secret: text (a password, PIN, token) or bytes (key material). */
export interface Secret {
  name: string;
  value: string | Buffer;
}

/** One hit: which secret, in which encoding, where. */
export interface Finding {
  secret: string;
  encoding: string;
  file: string;
  offset: number;
}

/** Shortest needle searched (shorter encodings would match by chance). */
const MIN_NEEDLE = 6;

/** The base64 text that stays the same wherever `bytes` sits inside a longer base64 stream, per alignment. */
function base64Cores(bytes: Buffer, url: boolean): Buffer[] {
  const out: Buffer[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    let text = url ? padded.toString('base64url') : padded.toString('base64');
    // Characters mixing padding bytes at the start, or depending on what follows at the end, differ in context.
    const skip = Math.ceil((shift * 4) / 3);
    const keep = Math.floor((padded.length * 4) / 3) - skip - 1;
    text = text.slice(skip, skip + Math.max(0, keep));
    if (text.length >= MIN_NEEDLE) out.push(Buffer.from(text, 'latin1'));
  }
  return out;
}

/** Every encoding of `secret` the scanner looks for, with a label. */
export function encodingsOf(secret: Secret): { encoding: string; needle: Buffer }[] {
  const raw = typeof secret.value === 'string' ? Buffer.from(secret.value, 'utf8') : secret.value;
  const list: { encoding: string; needle: Buffer }[] = [
    { encoding: 'raw', needle: raw },
    { encoding: 'hex', needle: Buffer.from(raw.toString('hex'), 'latin1') },
    { encoding: 'HEX', needle: Buffer.from(raw.toString('hex').toUpperCase(), 'latin1') },
    ...base64Cores(raw, false).map((needle) => ({ encoding: 'base64', needle })),
    ...base64Cores(raw, true).map((needle) => ({ encoding: 'base64url', needle })),
  ];
  if (typeof secret.value === 'string') {
    list.push({ encoding: 'utf16le', needle: Buffer.from(secret.value, 'utf16le') });
    const uri = encodeURIComponent(secret.value);
    if (uri !== secret.value) list.push({ encoding: 'url', needle: Buffer.from(uri, 'latin1') });
    const json = JSON.stringify(secret.value).slice(1, -1);
    if (json !== secret.value) list.push({ encoding: 'json', needle: Buffer.from(json, 'utf8') });
  }
  const seen = new Set<string>();
  return list.filter((e) => e.needle.length >= MIN_NEEDLE && !seen.has(e.needle.toString('latin1')) && seen.add(e.needle.toString('latin1')));
}

/** Every regular file under `dir` (recursively). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(full));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/** Scans `files` for every encoding of every secret; returns all hits (first offset per file and encoding). */
export function scanFiles(files: string[], secrets: Secret[]): Finding[] {
  const needles = secrets.flatMap((s) => encodingsOf(s).map((e) => ({ secret: s.name, ...e })));
  const findings: Finding[] = [];
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    for (const n of needles) {
      const offset = bytes.indexOf(n.needle);
      if (offset >= 0) findings.push({ secret: n.secret, encoding: n.encoding, file, offset });
    }
  }
  return findings;
}
