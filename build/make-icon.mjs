#!/usr/bin/env node
// Rasterises the StageBench mark (renderer/public/icon.svg: blue rounded square, white phone
// outline with a check mark and home dot) into build/icon.png (1024×1024, RGBA) for
// electron-builder, which derives the .icns / .ico / Linux sizes from it. The shapes are drawn
// with signed-distance functions in the SVG's 64×64 user space and 4×4 supersampling, so the
// result is deterministic and needs no browser. Usage: node build/make-icon.mjs [size]
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

const size = Number(process.argv[2] ?? 1024);
const out = path.join(import.meta.dirname, 'icon.png');
const BLUE = [0x24, 0x57, 0xc5];

/** Signed distance to a rounded rectangle (x, y, w, h, r) in user units; negative inside. */
function roundedRect(px, py, x, y, w, h, r) {
  const cx = x + w / 2;
  const cy = y + h / 2;
  const qx = Math.abs(px - cx) - (w / 2 - r);
  const qy = Math.abs(py - cy) - (h / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance to the segment a→b. */
function segment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Colour of one sample at user coordinates (u, v): [r, g, b, a] with a in 0..1. */
function sample(u, v) {
  if (roundedRect(u, v, 6, 6, 52, 52, 12) > 0) return [0, 0, 0, 0];
  const white =
    Math.abs(roundedRect(u, v, 22, 14, 20, 36, 4)) <= 1.5 ||
    Math.hypot(u - 32, v - 44) <= 2 ||
    segment(u, v, 27, 26, 31, 30) <= 1.5 ||
    segment(u, v, 31, 30, 38, 22) <= 1.5;
  return white ? [255, 255, 255, 1] : [...BLUE, 1];
}

const png = new PNG({ width: size, height: size });
const ss = 4;
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < ss; sy++) {
      for (let sx = 0; sx < ss; sx++) {
        const [cr, cg, cb, ca] = sample(((x + (sx + 0.5) / ss) / size) * 64, ((y + (sy + 0.5) / ss) / size) * 64);
        r += cr * ca;
        g += cg * ca;
        b += cb * ca;
        a += ca;
      }
    }
    const i = (y * size + x) * 4;
    png.data[i] = a ? Math.round(r / a) : 0;
    png.data[i + 1] = a ? Math.round(g / a) : 0;
    png.data[i + 2] = a ? Math.round(b / a) : 0;
    png.data[i + 3] = Math.round((a / (ss * ss)) * 255);
  }
}
fs.writeFileSync(out, PNG.sync.write(png));
console.log(`wrote ${path.relative(process.cwd(), out)} (${size}×${size})`);
