/**
 * `stagebench` — the headless bench CLI, in the spirit of Apple's cfgutil; process entry point
 * (started by bin/stagebench.cjs). Every command drives the same services as the desktop app.
 */
import { runCli } from './program';

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
