import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEnrollmentProfile, buildTypedPlist, parseTypedPlist, PlistReal, PlistXmlError, plistTypeOf } from '../../main/profiles';
import { baseSpec, plistlibTypes } from './helpers';

test('PlistReal writes <real> for integral values; plain integers stay <integer>', () => {
  const xml = buildTypedPlist({ DurationUntilRemoval: new PlistReal(3600), PayloadVersion: 1, Half: 0.5 }).toString();
  assert.match(xml, /<key>DurationUntilRemoval<\/key>\s*<real>3600<\/real>/);
  assert.match(xml, /<key>PayloadVersion<\/key>\s*<integer>1<\/integer>/);
  assert.match(xml, /<real>0.5<\/real>/);
  assert.throws(() => new PlistReal(Number.NaN), RangeError);
});

test('round trip keeps integer vs real, data, date, nested containers and escaping', () => {
  const value = {
    i: 42,
    big: 2n ** 60n,
    r: new PlistReal(3600),
    s: 'a < b & c > d',
    d: Buffer.from([0, 1, 2, 255]),
    t: new Date('2030-01-31T12:34:56Z'),
    b: [true, false],
    nested: { empty: [], dict: {} },
  };
  const parsed = parseTypedPlist(buildTypedPlist(value)) as Record<string, unknown>;
  assert.equal(parsed.i, 42);
  assert.equal(parsed.big, 2n ** 60n);
  assert.ok(parsed.r instanceof PlistReal);
  assert.equal((parsed.r as PlistReal).value, 3600);
  assert.equal(plistTypeOf(parsed.r as PlistReal), 'real');
  assert.equal(parsed.s, 'a < b & c > d');
  assert.deepEqual(parsed.d, Buffer.from([0, 1, 2, 255]));
  assert.equal((parsed.t as Date).toISOString(), '2030-01-31T12:34:56.000Z');
  assert.deepEqual(parsed.b, [true, false]);
  assert.deepEqual(parsed.nested, { empty: [], dict: {} });
});

test('Python plistlib parses a built enrollment profile and sees float for DurationUntilRemoval', () => {
  const { xml } = buildEnrollmentProfile(baseSpec({ expiresInSeconds: 3600, removalDate: new Date('2031-05-01T00:00:00Z'), targetDeviceType: true }));
  const py = plistlibTypes(xml);
  assert.deepEqual(py.DurationUntilRemoval, { type: 'float', value: 3600 });
  assert.equal(py.TargetDeviceType.type, 'int');
  assert.equal(py.RemovalDate.type, 'datetime');
  assert.equal(py.PayloadVersion.type, 'int');
  assert.deepEqual(py.__payload_types.value, ['com.apple.security.scep', 'com.apple.mdm']);
});

test('malformed plists give PlistXmlError saying what is wrong', () => {
  assert.throws(() => parseTypedPlist('hello'), (e: Error) => e instanceof PlistXmlError && /not an XML property list/.test(e.message));
  assert.throws(() => parseTypedPlist('<plist><dict><key>a</key></dict></plist>'), /key "a" has no value/);
  assert.throws(() => parseTypedPlist('<plist><dict><key>a</key><string>x</dict></plist>'), /malformed XML/);
  assert.throws(() => parseTypedPlist('<plist><integer>1.5</integer></plist>'), /not an integer/);
  assert.throws(() => parseTypedPlist('<plist><date>yesterday</date></plist>'), /expected YYYY-MM-DDTHH:MM:SSZ/);
  assert.throws(() => parseTypedPlist('bplist00xxxx'), /binary property list/);
  assert.throws(() => buildTypedPlist({ s: 'bell\u0007' }), /control character/);
});
