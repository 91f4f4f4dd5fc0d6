/**
 * Command line of the reference tenant:
 *   npm run tenant -- --listen 127.0.0.1:PORT [--seed-devices N] [--seed-users N] [--db FILE]
 *                     [--user NAME] [--password-env VAR] [--fault 'ENDPOINT:key=value,…']…
 * Prints exactly `ready http://127.0.0.1:PORT` on stdout once listening; exits 0 on SIGINT/SIGTERM.
 * The Basic-auth password comes from the environment variable named by --password-env (default
 * TENANT_PASSWORD; "tenant-secret" when unset). Exit 2 for invalid arguments, 1 when it cannot bind.
 */
import { parseArgs } from 'node:util';
import { parseFaultFlag, type FaultRule } from './faults';
import { startTenantServer } from './server';
import { openTenantStore } from './store';

const USAGE = "usage: tenant --listen 127.0.0.1:PORT [--seed-devices N] [--seed-users N] [--db FILE] [--user NAME] [--password-env VAR] [--fault 'ENDPOINT:status=503,retry-after=1,times=2']…";

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        listen: { type: 'string', default: '127.0.0.1:0' },
        'seed-devices': { type: 'string', default: '0' },
        'seed-users': { type: 'string', default: '0' },
        db: { type: 'string' },
        user: { type: 'string', default: 'admin' },
        'password-env': { type: 'string', default: 'TENANT_PASSWORD' },
        fault: { type: 'string', multiple: true },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(values.listen);
  const devices = Number(values['seed-devices']);
  const users = Number(values['seed-users']);
  if (!m || !Number.isInteger(devices) || devices < 0 || !Number.isInteger(users) || users < 0) {
    process.stderr.write(`--listen must be a loopback HOST:PORT; --seed-devices/--seed-users whole numbers ≥ 0\n${USAGE}\n`);
    process.exit(2);
  }
  let faults: FaultRule[] = [];
  try {
    faults = (values.fault ?? []).map(parseFaultFlag);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const store = openTenantStore(values.db);
  if (devices) store.seedDevices(devices);
  if (users) store.seedAccounts(users);
  let server;
  try {
    server = await startTenantServer({
      store, host: m[1] === '[::1]' ? '::1' : '127.0.0.1', port: Number(m[2]), user: values.user,
      password: process.env[values['password-env']] || 'tenant-secret', faults,
    });
  } catch (err) {
    process.stderr.write(`tenant: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stderr.write(`tenant store ${store.file}\n`);
  process.stdout.write(`ready ${server.url}\n`);
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void server.close().then(() => {
      store.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
