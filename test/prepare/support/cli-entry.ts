/**
 * Process entry for the prepare CLI tests: the real `stagebench` command tree (main/cli/program.ts)
 * with `registerPrepareCommands` added when program.ts does not register it yet, and the same
 * error → exit-code mapping as `runCli` (0 ok, 1 failed, 2 invalid input). Once program.ts wires
 * the prepare commands itself this simply runs `runCli`.
 */
import { CommanderError } from 'commander';
import { registerPrepareCommands } from '../../../main/cli/commands/prepare';
import { CliContext } from '../../../main/cli/context';
import { EXIT_FAILURE, EXIT_USAGE, ReportedFailure, UsageError } from '../../../main/cli/errors';
import { buildProgram, runCli } from '../../../main/cli/program';

async function main(argv: string[]): Promise<number> {
  const probe = new CliContext();
  const wired = buildProgram(probe).commands.some((c) => c.name() === 'prepare');
  probe.close();
  if (wired) return runCli(argv);
  const ctx = new CliContext();
  try {
    const program = buildProgram(ctx);
    registerPrepareCommands(program, ctx);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    if (err instanceof ReportedFailure) return err.code;
    const e = err as Error & { exitCode?: number };
    process.stderr.write(`stagebench: ${e.message}\n`);
    return err instanceof UsageError || e.exitCode === EXIT_USAGE || ['WrongPassphraseError', 'Pkcs12PasswordError', 'SigningIdentityError'].includes(e.name) ? EXIT_USAGE : EXIT_FAILURE;
  } finally {
    ctx.close();
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
