/**
 * Benchmark dispatcher: `npm run bench -- NAME [args]` runs `bench/NAME.ts` (its default export
 * or its `main(args)`). With no NAME it lists the available benches.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = fs.readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3)).sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`${name ? `unknown bench "${name}". ` : ''}usage: npm run bench -- <${available.join('|')}>`);
  process.exitCode = 2;
} else {
  const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as { main?: (a: string[]) => Promise<number | void> | number | void };
  if (typeof mod.main !== 'function') throw new Error(`bench/${name}.ts exports no main(args)`);
  const rc = await mod.main(args);
  if (typeof rc === 'number') process.exitCode = rc;
}
