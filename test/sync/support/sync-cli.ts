/**
 * A `stagebench` with only the sync commands registered (the lead wires registerSyncCommands into
 * main/cli/program.ts): same CliContext, error handling and exit codes as runCli. Tests and the
 * crash bench run it as the syncing child process:
 *   node --import tsx test/sync/support/sync-cli.ts sync --once
 */
import { Command, CommanderError } from 'commander';
import { registerSyncCommands } from '../../../main/cli/commands/sync';
import { CliContext } from '../../../main/cli/context';
import { EXIT_FAILURE, EXIT_USAGE, ReportedFailure, UsageError } from '../../../main/cli/errors';

async function main(argv: string[]): Promise<number> {
  const ctx = new CliContext();
  try {
    const program = new Command('stagebench').exitOverride();
    registerSyncCommands(program, ctx);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    if (err instanceof ReportedFailure) return err.code;
    process.stderr.write(`stagebench: ${(err as Error).message}\n`);
    return err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  } finally {
    ctx.close();
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
