/** Shared fixtures for the profile tests (not a test file itself). */
import { execFileSync } from 'node:child_process';
import type { EnrollmentProfileSpec } from '../../main/profiles';

/** A complete, valid SCEP enrollment spec; tests override fields. */
export function baseSpec(over: Partial<EnrollmentProfileSpec> = {}): EnrollmentProfileSpec {
  return {
    name: 'Example Enrollment',
    identifier: 'com.example.enroll',
    organization: 'Example Corp',
    serverUrl: 'https://mdm.example.com/mdm',
    checkInUrl: 'https://mdm.example.com/checkin',
    topic: 'com.apple.mgmt.External.0000-1111',
    os: 'ios',
    scep: { url: 'https://mdm.example.com/scep', subject: '/O=Example Corp/CN=%SerialNumber%', challenge: 'chal-123' },
    ...over,
  };
}

/**
 * Runs Python's plistlib on `bytes` and returns a JSON description: for each listed top-level key
 * its Python type name and value (repr for non-JSON types).
 */
export function plistlibTypes(bytes: Buffer): Record<string, { type: string; value: unknown }> {
  const script = [
    'import plistlib, sys, json',
    'd = plistlib.loads(sys.stdin.buffer.read())',
    'out = {k: {"type": type(v).__name__, "value": v if isinstance(v, (int, float, str, bool)) else repr(v)[:60]} for k, v in d.items()}',
    'out["__payload_types"] = {"type": "list", "value": [p.get("PayloadType") for p in d.get("PayloadContent", [])]}',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: bytes }).toString());
}
