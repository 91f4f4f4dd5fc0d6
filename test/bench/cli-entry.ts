/**
 * Test entry of the `stagebench` CLI with the blueprint and DFU command groups: the real program
 * (main/cli/program.ts `buildProgram`) plus `registerBlueprintCommands` / `registerDfuCommands`
 * when program.ts does not wire them yet, with runCli's exit-code mapping (0 ok, 1 failure,
 * 2 usage). Once program.ts registers them, this runs exactly the shipped tree.
 */
import { CommanderError } from 'commander';
import { CliContext } from '../../main/cli/context';
import { EXIT_FAILURE, EXIT_USAGE, ReportedFailure, UsageError } from '../../main/cli/errors';
import { buildProgram } from '../../main/cli/program';
import { registerBlueprintCommands } from '../../main/cli/commands/blueprint';
import { registerDfuCommands } from '../../main/cli/commands/dfu';

async function main(argv: string[]): Promise<number> {
  const ctx = new CliContext();
  try {
    const program = buildProgram(ctx);
    const has = (name: string): boolean => program.commands.some((c) => c.name() === name);
    if (!has('blueprint')) registerBlueprintCommands(program, ctx);
    if (!has('dfu')) registerDfuCommands(program, ctx);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    if (err instanceof ReportedFailure) return err.code;
    process.stderr.write(`stagebench: ${(err as Error).message}\n`);
    const e = err as Error & { exitCode?: number };
    return err instanceof UsageError || e.exitCode === EXIT_USAGE ? EXIT_USAGE : EXIT_FAILURE;
  } finally {
    ctx.close();
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
