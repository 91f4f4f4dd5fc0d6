/**
 * The Devices table in Chromium at 100,000 rows (`npm run bench -- table [rows] [runs]`): seeds
 * `rows` (default 100,000) entries into a temporary data dir — the tenant inventory when the app
 * services have it (else the bench's device cache) — opens the built renderer's Devices page in
 * the E2E harness (Debian's Chromium, the real dispatcher and services), and measures
 *   - first paint: navigation start → first real rows on screen (the `table:first-rows`
 *     performance mark the table sets), best and median of `runs` (default 3) fresh page loads;
 *   - scrolling: ~3 s of requestAnimationFrame-driven scrolling (120 px per frame, new rows every
 *     frame), frames counted and frame times measured in the page.
 * Prints `table 100000 rows: first paint <ms> ms, scroll <fps> fps (targets: <= 1000 ms, >= 55 fps)`
 * plus detail lines. Returns 1 when a target is missed. Needs `npm run build` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppServices, type AppServices } from '../main/app/services';
import { createDispatcher } from '../main/ipc/dispatch';
import { writeSettings } from '../main/ipc/workstation-settings';
import { openHeadlessSecretBox } from '../main/secrets';
import { launchRendererHarness } from '../test/support/renderer/harness';
import { prng, seedInventory } from './inventory-table';

/** Inserts `n` devices into the bench cache's `devices` table (used when no inventory service is wired). */
function seedBenchDevices(services: AppServices, n: number): void {
  const r = prng(7);
  const classes = ['iPhone', 'iPad', 'AppleTV'];
  const ins = services.db.prepare(`INSERT INTO devices (udid, serial_number, product_type, product_version, device_class, device_name, first_seen, last_seen, last_staged_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const start = Date.parse('2024-01-01T00:00:00Z');
  services.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const cls = classes[i % 3];
      const at = new Date(start + Math.floor(r() * 600 * 86400e3)).toISOString();
      ins.run(`00008030-${i.toString(16).toUpperCase().padStart(16, '0')}`, `F${Math.floor(r() * 36 ** 9).toString(36).toUpperCase().padStart(9, '0')}`,
        cls === 'iPhone' ? 'iPhone15,2' : cls === 'iPad' ? 'iPad13,4' : 'AppleTV6,2', '17.5', cls, `Lab ${cls} ${i}`, at, at, r() < 0.5 ? at : null);
    }
  })();
}

interface ScrollStats {
  frames: number;
  ms: number;
  p95: number;
  worst: number;
  slow: number;
  placeholders: number;
}

/**
 * In-page scroll driver: 3 s of rAF steps of 120 px on the table's scroll container; resolves to
 * the frame count, elapsed ms, p95/worst frame time, frames over 25 ms and frames with loading rows.
 */
const SCROLL_SCRIPT = `(async () => {
  const grid = document.querySelector('[role="grid"]');
  if (!grid) throw new Error('no grid');
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  await frame();
  const times = [];
  let placeholders = 0;
  const start = await frame();
  let last = start;
  while (last - start < 3000) {
    grid.scrollTop = Math.min(grid.scrollTop + 120, grid.scrollHeight - grid.clientHeight);
    const t = await frame();
    times.push(t - last);
    last = t;
    if (grid.querySelector('[data-testid="table-row-placeholder"]')) placeholders++;
  }
  const s = [...times].sort((a, b) => a - b);
  return { frames: times.length, ms: last - start, p95: s[Math.floor(s.length * 0.95)], worst: s[s.length - 1], slow: times.filter((x) => x > 25).length, placeholders };
})()`;

/** Runs the benchmark; returns 0, or 1 when a target is missed. */
export async function main(args: string[]): Promise<number> {
  const rows = Number(args[0] ?? 100_000) || 100_000;
  const runs = Math.max(1, Number(args[1] ?? 3) || 3);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stagebench-bench-table-'));
  const dataDir = path.join(tmp, 'data');
  const env = { ...process.env, STAGEBENCH_PASSPHRASE: 'bench table passphrase' };
  const services = createAppServices({ dataDir, secretBox: openHeadlessSecretBox(dataDir, env), actor: 'bench', usbmuxAddress: '127.0.0.1:1' });
  try {
    const t0 = performance.now();
    const inv = (services as Partial<AppServices> & { inventory?: { optimize(): void } }).inventory;
    if (inv) {
      seedInventory(services.db, rows);
      inv.optimize();
    } else seedBenchDevices(services, rows);
    writeSettings(dataDir, { setupCompletedAt: new Date().toISOString() });
    console.log(`table seed ${rows} rows into the ${inv ? 'inventory' : 'bench device cache'}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const harness = await launchRendererHarness({ dispatch: createDispatcher(services, { version: 'bench', usbmuxAddress: '127.0.0.1:1' }) });
    try {
      const { page } = harness;
      const paints: number[] = [];
      for (let i = 0; i < runs; i++) {
        await page.goto(`${harness.url}index.html?run=${i}#/devices`);
        await page.locator('[data-testid="data-table"][data-ready="true"]').waitFor({ timeout: 30_000 });
        const ms = await page.evaluate(() => {
          const perf = (globalThis as unknown as { performance: { getEntriesByName(n: string): { startTime: number }[] } }).performance;
          return perf.getEntriesByName('table:first-rows')[0]?.startTime ?? NaN;
        });
        const total = await page.getByTestId('table-total').textContent();
        if (i === 0) console.log(`table shows ${total}`);
        paints.push(ms);
      }
      const sorted = [...paints].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];

      // Passed as source text: tsx would otherwise wrap named functions in a helper the page lacks.
      const stats = (await page.evaluate(SCROLL_SCRIPT)) as ScrollStats;
      const fps = (stats.frames / stats.ms) * 1000;
      console.log(`table first paint per load: ${paints.map((p) => p.toFixed(0)).join(', ')} ms (median ${median.toFixed(0)} ms)`);
      console.log(`table scroll: ${stats.frames} frames in ${(stats.ms / 1000).toFixed(2)} s, frame p95 ${stats.p95.toFixed(1)} ms, worst ${stats.worst.toFixed(1)} ms, ${stats.slow} frames > 25 ms, ${stats.placeholders} frames showed loading rows`);
      console.log(`table ${rows} rows: first paint ${median.toFixed(0)} ms, scroll ${fps.toFixed(1)} fps (targets: <= 1000 ms, >= 55 fps)`);
      if (harness.problems.length) console.log(`renderer problems: ${harness.problems.join(' | ')}`);
      return median <= 1000 && fps >= 55 ? 0 : 1;
    } finally {
      await harness.close();
    }
  } finally {
    services.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
