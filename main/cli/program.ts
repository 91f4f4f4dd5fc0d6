/**
 * The `stagebench` command tree and runner (see main.ts for the process entry point).
 * Exit codes: 0 ok, 1 an operation failed, 2 invalid input.
 */
import { Command, CommanderError } from 'commander';
import { CliContext } from './context';
import { EXIT_FAILURE, EXIT_USAGE, ReportedFailure, UsageError } from './errors';
import { registerProfileCommands } from './commands/profile';
import { registerIdentityCommands } from './commands/identity';
import { registerDeviceCommands } from './commands/devices';
import { registerStageCommand } from './commands/stage';
import { registerDepCommands } from './commands/dep';
import { registerRegistrationCommands } from './commands/registration';
import { registerPrepareCommands } from './commands/prepare';
import { registerInventoryCommands } from './commands/inventory';
import { registerSyncCommands } from './commands/sync';
import { registerBlueprintCommands } from './commands/blueprint';
import { registerDfuCommands } from './commands/dfu';

/** Errors that mean the input given was wrong (exit 2), by class name. */
const INPUT_ERRORS = new Set([
  'ProfileValidationError', 'ProfileSpecError', 'ProfileFormatError', 'Pkcs12PasswordError', 'Pkcs12ContentError',
  'SigningIdentityError', 'UsbmuxAddressError', 'WrongPassphraseError',
]);

/** Builds the command tree bound to `ctx`. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('stagebench')
    .description('StageBench: build and sign enrollment profiles and stage Apple devices over USB (usbmuxd/lockdownd).')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', `
Environment:
  STAGEBENCH_DATA_DIR      cache directory (default: the per-user app data folder)
  STAGEBENCH_PASSPHRASE    protects private keys and passwords at rest (needed by commands that touch secrets)
  USBMUXD_SOCKET_ADDRESS   usbmuxd socket: UNIX:/path or host:port (default /var/run/usbmuxd)`);
  registerProfileCommands(program, ctx);
  registerIdentityCommands(program, ctx);
  registerDeviceCommands(program, ctx);
  registerStageCommand(program, ctx);
  registerRegistrationCommands(program, ctx);
  registerPrepareCommands(program, ctx);
  registerInventoryCommands(program, ctx);
  registerSyncCommands(program, ctx);
  registerBlueprintCommands(program, ctx);
  registerDfuCommands(program, ctx);
  const dep = program.command('dep').description('Automated Device Enrollment (Apple Business Manager): servers, tokens, sync, DEP profiles, devices');
  registerDepCommands(dep, ctx);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const ctx = new CliContext();
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    if (err instanceof ReportedFailure) return err.code;
    const e = err as Error & { exitCode?: number };
    process.stderr.write(`stagebench: ${e.message}\n`);
    if (err instanceof UsageError || e.exitCode === EXIT_USAGE || INPUT_ERRORS.has(e.name)) return EXIT_USAGE;
    return EXIT_FAILURE;
  } finally {
    ctx.close();
  }
}

