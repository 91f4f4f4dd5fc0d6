/**
 * DEP simulator CLI (`npm run dep-simulator -- --listen 127.0.0.1:PORT --devices N`): prints
 * exactly `ready http://HOST:PORT`, serves until SIGTERM/SIGINT (exit 0); exit 2 on bad
 * arguments. Tokens: `GET /_admin/token` (JSON), `POST /_admin/token {"certificate_pem": …}`
 * (a .p7m encrypted to that certificate, as ABM issues it).
 */
import { parseArgs } from 'node:util';
import { startDepSimulator } from './simulator';

function usage(msg: string): never {
  process.stderr.write(`dep-simulator: ${msg}\nusage: dep-simulator --listen HOST:PORT [--devices N] [--session-ttl SECONDS] [--rotate-session-every N]\n`);
  process.exit(2);
}

let values: Record<string, string | undefined>;
try {
  values = parseArgs({ options: { listen: { type: 'string', default: '127.0.0.1:0' }, devices: { type: 'string', default: '0' }, 'session-ttl': { type: 'string' }, 'rotate-session-every': { type: 'string' } } }).values as Record<string, string | undefined>;
} catch (err) {
  usage((err as Error).message);
}
const m = /^([^:]+|\[[^\]]+\]):(\d+)$/.exec(values.listen ?? '');
if (!m) usage(`--listen must be HOST:PORT, not "${values.listen}"`);
const devices = Number(values.devices);
if (!Number.isInteger(devices) || devices < 0) usage(`--devices must be a whole number, not "${values.devices}"`);
const ttl = values['session-ttl'] === undefined ? undefined : Number(values['session-ttl']);
if (ttl !== undefined && (!Number.isFinite(ttl) || ttl <= 0)) usage('--session-ttl must be a positive number of seconds');
const rotate = values['rotate-session-every'] === undefined ? undefined : Number(values['rotate-session-every']);

const sim = await startDepSimulator({ host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]), devices, sessionTtlMs: ttl === undefined ? undefined : ttl * 1000, rotateSessionEvery: rotate });
process.stdout.write(`ready ${sim.url}\n`);
const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
