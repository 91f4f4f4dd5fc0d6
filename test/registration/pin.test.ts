import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { generatePin, hashPin, pinMatches } from '../../main/registration';

const FAST = { N: 1 << 10, r: 8, p: 1 };

test('PIN generation: requested length, digits only, leading zeros kept', () => {
  for (const len of [4, 6, 8, 12]) {
    for (let i = 0; i < 200; i++) assert.match(generatePin(len), new RegExp(`^\\d{${len}}$`));
  }
  assert.equal(generatePin(6, () => 0), '000000');
  assert.throws(() => generatePin(0), RangeError);
  assert.throws(() => generatePin(4.5), RangeError);
});

test('PIN generation: digits are uniformly distributed and PINs do not repeat', () => {
  const counts = new Array<number>(10).fill(0);
  const pins = new Set<string>();
  for (let i = 0; i < 4000; i++) {
    const pin = generatePin(8);
    pins.add(pin);
    for (const d of pin) counts[Number(d)]++;
  }
  const total = 4000 * 8;
  const expected = total / 10;
  const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
  // df = 9: chi² > 42 has probability < 1e-5 for a uniform source.
  assert.ok(chi2 < 42, `digit counts ${counts.join(',')} are not uniform (chi² ${chi2.toFixed(1)})`);
  // 4000 draws from 10^8: a collision has probability ≈ 8e-5.
  assert.ok(pins.size >= 3999, `only ${pins.size} distinct PINs of 4000`);
});

test('PIN hashing: salted, keyed, verifies only the right PIN under the right key', () => {
  const key = crypto.randomBytes(32);
  const a = hashPin('048213', key, FAST);
  const b = hashPin('048213', key, FAST);
  assert.notEqual(a, b, 'two hashes of one PIN must differ (random salt)');
  assert.ok(!a.includes('048213'));
  assert.match(a, /^scrypt-hmac-v1\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.equal(pinMatches('048213', a, key), true);
  assert.equal(pinMatches('048213', b, key), true);
  assert.equal(pinMatches('048214', a, key), false);
  assert.equal(pinMatches('48213', a, key), false);
  assert.equal(pinMatches('048213', a, crypto.randomBytes(32)), false, 'another PIN key must not verify');
  assert.equal(pinMatches('048213', 'garbage', key), false);
  assert.equal(pinMatches('048213', a.replace('scrypt-hmac-v1', 'md5'), key), false);
});
