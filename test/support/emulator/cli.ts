/**
 * Command line of the device emulator:
 *   npm run emulator -- --listen 127.0.0.1:PORT|UNIX:/path --devices N [--kinds iphone,ipad,appletv]
 *                       [--seed S] [--trust accept|deny|pending:K] [--locked] [--activation STATE]
 *                       [--delay MS] [--trace]
 * Prints exactly `ready <address>` on stdout once listening (address as for
 * USBMUXD_SOCKET_ADDRESS), one line per device on stderr, and exits 0 on SIGINT/SIGTERM after
 * closing every connection. Exit status 2 for invalid arguments, 1 when the address cannot be bound.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator';
import { parseTrust, type DeviceKnobs } from './knobs';

const USAGE = 'usage: emulator --listen HOST:PORT|UNIX:/path [--devices N] [--kinds iphone,ipad,appletv] [--seed S] [--trust accept|deny|pending:K] [--locked] [--activation STATE] [--delay MS] [--trace]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        listen: { type: 'string', default: '127.0.0.1:0' },
        devices: { type: 'string', default: '1' },
        kinds: { type: 'string' },
        seed: { type: 'string' },
        trust: { type: 'string' },
        locked: { type: 'boolean', default: false },
        activation: { type: 'string' },
        delay: { type: 'string' },
        trace: { type: 'boolean', default: false },
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
  const devices = Number(values.devices);
  const delay = values.delay === undefined ? 0 : Number(values.delay);
  if (!Number.isInteger(devices) || devices < 0 || !Number.isFinite(delay) || delay < 0) {
    process.stderr.write(`--devices and --delay must be non-negative numbers\n${USAGE}\n`);
    process.exit(2);
  }
  const knobs: DeviceKnobs = { passcodeLocked: values.locked, responseDelayMs: delay };
  try {
    if (values.trust) knobs.trust = parseTrust(values.trust);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (values.activation) knobs.activationState = values.activation;
  let emu;
  try {
    emu = await startEmulator({
      listen: values.listen,
      devices,
      kinds: values.kinds ? values.kinds.split(',').filter(Boolean) : undefined,
      seed: values.seed,
      knobs,
      trace: values.trace,
    });
  } catch (err) {
    process.stderr.write(`emulator: ${(err as Error).message}\n`);
    process.exit(/unknown device kind|invalid/.test((err as Error).message) ? 2 : 1);
  }
  for (const d of emu.devices) {
    process.stderr.write(`device ${d.deviceId} ${d.model.ProductType} ${d.udid} ${d.identity.SerialNumber}\n`);
  }
  process.stdout.write(`ready ${emu.address}\n`);
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void emu.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
