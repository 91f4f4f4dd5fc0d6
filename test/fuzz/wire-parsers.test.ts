/**
 * Fuzz of the device-protocol parsers with ≥ 100,000 malformed inputs derived (seeded PRNG, so
 * every run is the same) from frames captured from the device emulator: usbmuxd header reader,
 * 4-byte plist-frame reader, decodePlist (XML and binary), usbmuxd event/result parsing, lockdownd
 * reply handling, MCInstall reply parsing and pair-record parsing. Every input must end in a clean
 * result or one of our typed errors (never a TypeError/RangeError or a hang), and memory stays
 * bounded: frames announcing 4 GiB are refused without allocating, and nesting/reference bombs
 * are rejected quickly. Override the seed with FUZZ_SEED, scale with FUZZ_SCALE.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { decodePlist, encodeBinaryPlist, encodePlistFrame, MalformedMessageError } from '../../main/apple/wire';
import { captureCorpus, type Corpus } from './corpus';
import { bplistCycle, bplistReferenceBomb, mutateBplistHeader, mutateBytes, Prng } from './mutate';
import { fuzzLockdownReply, fuzzMcinstallReply, fuzzPlist, fuzzPlistFrame, fuzzUsbmuxPacket, TYPED_ERRORS, type Outcome } from './targets';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5b3e1c);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** Heap growth allowed across a whole campaign (bytes), after GC. */
const HEAP_CEILING = 64 * 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
}

let corpus: Corpus;
const totals = { inputs: 0, ms: 0, outcomes: new Map<string, number>() };

before(async () => {
  corpus = await captureCorpus();
  assert.ok(corpus.usbmuxPackets.length >= 10 && corpus.lockdownFrames.length >= 6 && corpus.pairRecords.length === 1, 'corpus captured from the emulator');
});

/** Tallies outcomes; returns the inputs that crashed (untyped errors), with their first bytes for a repro. */
class Campaign {
  readonly crashes: { outcome: Outcome; input: string; mutators: string }[] = [];
  readonly outcomes = new Map<string, number>();
  count = 0;

  record(o: Outcome, input: Buffer, mutators: string[]): void {
    this.count++;
    this.outcomes.set(o, (this.outcomes.get(o) ?? 0) + 1);
    totals.outcomes.set(o, (totals.outcomes.get(o) ?? 0) + 1);
    if (o !== 'ok' && !TYPED_ERRORS.has(o) && this.crashes.length < 5) {
      this.crashes.push({ outcome: o, input: input.subarray(0, 96).toString('hex'), mutators: mutators.join(',') });
    }
  }

  assertClean(name: string, minInputs: number): void {
    totals.inputs += this.count;
    assert.ok(this.count >= minInputs, `${name}: only ${this.count} inputs`);
    assert.deepEqual(this.crashes, [], `${name}: parser crashed (untyped error) on: ${JSON.stringify(this.crashes, null, 1)}`);
    assert.ok((this.outcomes.get('ok') ?? 0) > 0 || name === 'bplist-headers', `${name}: no input parsed cleanly; the mutations are too destructive to reach deep code`);
  }
}

/** Console lines the parsers' dependencies printed (xmldom reports malformed XML on the console). */
let consoleLines = 0;

/** Runs `fn` with the console muted (counted), measuring time and heap growth after GC. */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number; heapGrowth: number }> {
  const heap0 = heapAfterGc();
  const saved = { warn: console.warn, error: console.error, log: console.log };
  console.warn = console.error = console.log = () => void consoleLines++;
  const t0 = performance.now();
  let value: T;
  try {
    value = await fn();
  } finally {
    Object.assign(console, saved);
  }
  const ms = performance.now() - t0;
  totals.ms += ms;
  return { value, ms, heapGrowth: heapAfterGc() - heap0 };
}

test('decodePlist + reply parsers: 50,000 mutated XML and binary plists', async (t) => {
  const rng = new Prng(SEED);
  const c = new Campaign();
  const n = Math.round(50_000 * SCALE);
  const { ms, heapGrowth } = await timed(() => {
    for (let i = 0; i < n; i++) {
      const { bytes, used } = mutateBytes(rng, rng.pick(corpus.plists));
      c.record(fuzzPlist(bytes), bytes, used);
    }
  });
  t.diagnostic(`plists: ${c.count} inputs in ${ms.toFixed(0)} ms, heap +${(heapGrowth / 1048576).toFixed(1)} MiB, outcomes ${JSON.stringify(Object.fromEntries(c.outcomes))}`);
  c.assertClean('plists', n);
  assert.ok(heapGrowth < HEAP_CEILING, `heap grew by ${heapGrowth} bytes`);
});

test('binary plists: 15,000 trailer / offset-table / object-count edits (huge counts, bad sizes)', async (t) => {
  const rng = new Prng(SEED ^ 0x1111);
  const c = new Campaign();
  const n = Math.round(15_000 * SCALE);
  const binaries = corpus.plists.filter((p) => p.subarray(0, 8).toString('latin1') === 'bplist00');
  const { ms, heapGrowth } = await timed(() => {
    for (let i = 0; i < n; i++) {
      let bytes = mutateBplistHeader(rng, rng.pick(binaries));
      if (rng.next() < 0.3) bytes = mutateBplistHeader(rng, bytes);
      c.record(fuzzPlist(bytes), bytes, ['bplist-header']);
    }
  });
  t.diagnostic(`bplist headers: ${c.count} inputs in ${ms.toFixed(0)} ms, heap +${(heapGrowth / 1048576).toFixed(1)} MiB, outcomes ${JSON.stringify(Object.fromEntries(c.outcomes))}`);
  c.assertClean('bplist-headers', n);
  assert.ok(heapGrowth < HEAP_CEILING);
});

test('usbmuxd packet reader + event parsing: 20,000 mutated packets (header length edits, truncation)', async (t) => {
  const rng = new Prng(SEED ^ 0x2222);
  const c = new Campaign();
  const n = Math.round(20_000 * SCALE);
  const { ms, heapGrowth } = await timed(async () => {
    for (let i = 0; i < n; i++) {
      const { bytes, used } = mutateBytes(rng, rng.pick(corpus.usbmuxPackets), [{ offset: 0, le: true }, { offset: 4, le: true }, { offset: 8, le: true }]);
      c.record(await fuzzUsbmuxPacket(bytes), bytes, used);
    }
  });
  t.diagnostic(`usbmux packets: ${c.count} inputs in ${ms.toFixed(0)} ms, heap +${(heapGrowth / 1048576).toFixed(1)} MiB, outcomes ${JSON.stringify(Object.fromEntries(c.outcomes))}`);
  c.assertClean('usbmux', n);
  assert.ok(heapGrowth < HEAP_CEILING);
});

test('plist frames, lockdownd replies and MCInstall replies: 18,000 mutated frames', async (t) => {
  const rng = new Prng(SEED ^ 0x3333);
  const frames = new Campaign();
  const lockdown = new Campaign();
  const mc = new Campaign();
  const n = Math.round(6_000 * SCALE);
  const { ms, heapGrowth } = await timed(async () => {
    for (let i = 0; i < n; i++) {
      const f = mutateBytes(rng, rng.pick(corpus.plistFrames), [{ offset: 0, le: false }]);
      frames.record(await fuzzPlistFrame(f.bytes), f.bytes, f.used);
      const l = mutateBytes(rng, rng.pick(corpus.lockdownFrames), [{ offset: 0, le: false }]);
      lockdown.record(await fuzzLockdownReply(l.bytes, rng.int(64)), l.bytes, l.used);
      const m = mutateBytes(rng, rng.pick(corpus.mcinstallFrames), [{ offset: 0, le: false }]);
      mc.record(await fuzzMcinstallReply(m.bytes, rng.int(64)), m.bytes, m.used);
    }
  });
  t.diagnostic(`frames/lockdown/MCInstall: ${frames.count + lockdown.count + mc.count} inputs in ${ms.toFixed(0)} ms, heap +${(heapGrowth / 1048576).toFixed(1)} MiB`);
  t.diagnostic(`lockdown outcomes ${JSON.stringify(Object.fromEntries(lockdown.outcomes))}; MCInstall outcomes ${JSON.stringify(Object.fromEntries(mc.outcomes))}`);
  frames.assertClean('plist frames', n);
  lockdown.assertClean('lockdown', n);
  mc.assertClean('mcinstall', n);
  assert.ok((lockdown.outcomes.get('LockdownError') ?? 0) > 0 && (mc.outcomes.get('MCInstallError') ?? 0) > 0, 'error replies reach the typed-error paths');
  assert.ok(heapGrowth < HEAP_CEILING);
});

test('frames announcing 4 GiB are refused without allocating them', async () => {
  const usbmux = Buffer.alloc(32);
  usbmux.writeUInt32LE(0xffffffff, 0);
  usbmux.writeUInt32LE(1, 4);
  usbmux.writeUInt32LE(8, 8);
  const frame = Buffer.alloc(16);
  frame.writeUInt32BE(0xffffffff, 0);
  const rss0 = process.memoryUsage().rss;
  const { value, heapGrowth } = await timed(async () => [
    await fuzzUsbmuxPacket(usbmux), await fuzzPlistFrame(frame), await fuzzLockdownReply(frame, 0), await fuzzMcinstallReply(frame, 0),
  ]);
  assert.deepEqual(value, ['FrameTooLargeError', 'FrameTooLargeError', 'FrameTooLargeError', 'FrameTooLargeError']);
  assert.ok(heapGrowth < 8 * 1024 * 1024, `heap grew by ${heapGrowth}`);
  assert.ok(process.memoryUsage().rss - rss0 < 64 * 1024 * 1024, 'no 4 GiB buffer was allocated');
  // Just under the limits, then EOF: the reader waits for bytes and fails cleanly, nothing is preallocated.
  const under = Buffer.alloc(16);
  under.writeUInt32LE(1024 * 1024, 0);
  under.writeUInt32LE(1, 4);
  under.writeUInt32LE(8, 8);
  assert.equal(await fuzzUsbmuxPacket(under), 'ConnectionClosedError');
  const underFrame = Buffer.alloc(4);
  underFrame.writeUInt32BE(16 * 1024 * 1024, 0);
  assert.equal(await fuzzPlistFrame(underFrame), 'ConnectionClosedError');
});

test('nesting, reference-cycle and fan-out bombs are refused quickly with bounded memory', (t) => {
  // In a child with a 512 MiB heap and a deadline, so a regression fails this test instead of hanging the suite.
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--max-old-space-size=512', path.join(import.meta.dirname, 'bomb-probe.ts')], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    encoding: 'utf8',
    timeout: 40_000,
  });
  const results = res.stdout.split('\n').filter((l) => l.startsWith('BOMB ')).map((l) => JSON.parse(l.slice(5)) as { name: string; bytes: number; plist: string; usbmux: string; frame: string; ms: number; heapMiB: number });
  for (const r of results) t.diagnostic(`${r.name}: ${r.bytes} bytes → ${r.plist} / usbmux ${r.usbmux} / frame ${r.frame} in ${r.ms.toFixed(0)} ms, heap ${r.heapMiB.toFixed(0)} MiB`);
  assert.equal(results.length, 7, `bomb probe stopped after ${results.length} of 7 bombs (status ${res.status}, signal ${res.signal}): the next bomb hung or exhausted the heap\n${res.stderr.slice(-2000)}`);
  for (const r of results) {
    for (const o of [r.plist, r.usbmux, r.frame]) assert.ok(o === 'n/a' || TYPED_ERRORS.has(o), `${r.name}: ${o}`);
    assert.ok(r.ms < 3000, `${r.name}: took ${r.ms} ms`);
    assert.ok(r.heapMiB < 256, `${r.name}: heap at ${r.heapMiB} MiB`);
  }
  assert.throws(() => decodePlist(bplistReferenceBomb(40, 2)), MalformedMessageError);
  assert.throws(() => decodePlist(bplistCycle()), MalformedMessageError);
});

test('valid binary and XML plists still decode (the guards do not reject real traffic)', () => {
  for (const p of corpus.plists) assert.doesNotThrow(() => decodePlist(p));
  const shared = { a: 'x'.repeat(100) };
  const dag = encodeBinaryPlist({ list: Array.from({ length: 1000 }, () => shared), nested: [[[[[[['deep']]]]]]] });
  assert.equal((decodePlist(dag) as { list: unknown[] }).list.length, 1000);
  assert.equal(fuzzPlist(encodePlistFrame({ Request: 'QueryType', Type: 'com.apple.mobile.lockdown' }).subarray(4)), 'ok');
});

test('fuzz totals: ≥ 100,000 inputs, within the time budget', (t) => {
  t.diagnostic(`total ${totals.inputs} inputs in ${(totals.ms / 1000).toFixed(1)} s (seed ${SEED}); ${consoleLines} console lines from xmldom muted; outcomes ${JSON.stringify(Object.fromEntries(totals.outcomes))}`);
  assert.ok(totals.inputs >= 100_000 * SCALE, `only ${totals.inputs} inputs`);
  assert.ok(totals.ms < 60_000, `fuzzing took ${totals.ms} ms`);
});
