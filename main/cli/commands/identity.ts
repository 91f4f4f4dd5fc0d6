/**
 * `stagebench identity import|list` — signing identities kept in the cache (private key sealed
 * under STAGEBENCH_PASSPHRASE; the .p12 password is used once and never stored).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { formatTable, parseFormat, printJson } from '../output';
import { readInputFile, secretFromEnv } from '../options';

/** Registers `identity import|list`. */
export function registerIdentityCommands(program: Command, ctx: CliContext): void {
  const identity = program.command('identity').description('signing identities (PKCS#12) kept in the cache');

  identity
    .command('import <file.p12>')
    .description('import a PKCS#12 signing identity (RSA or ECDSA P-256); the key is sealed at rest')
    .requiredOption('--password-env <var>', 'environment variable holding the .p12 password')
    .option('--label <label>', 'a name for the identity (default: certificate subject)')
    .option('--format <fmt>', 'text or json', 'text')
    .action((file: string, o: { passwordEnv: string; label?: string; format?: string }) => {
      const format = parseFormat(o.format);
      const row = ctx.app(true).identities.importPkcs12(readInputFile(file, 'identity'), secretFromEnv(o.passwordEnv, '--password-env'), o.label);
      if (format === 'json') printJson(row);
      else process.stdout.write(`Imported ${row.label} (${row.keyType.toUpperCase()}, ${row.subject}) as ${row.id}\n`);
    });

  identity
    .command('list')
    .description('list stored signing identities')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { format?: string }) => {
      const format = parseFormat(o.format);
      const rows = ctx.app(false).identities.list();
      if (format === 'json') printJson(rows);
      else process.stdout.write(formatTable(rows, [
        { header: 'ID', cell: (r) => r.id },
        { header: 'LABEL', cell: (r) => r.label },
        { header: 'KEY', cell: (r) => r.keyType.toUpperCase() },
        { header: 'SUBJECT', cell: (r) => r.subject },
        { header: 'EXPIRES', cell: (r) => r.notAfter.slice(0, 10) },
      ]));
    });
}
