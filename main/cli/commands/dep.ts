/**
 * `stagebench dep …` — Automated Device Enrollment. Sub-commands are registered by the modules
 * that own them: servers/tokens/sync/devices (dep-servers.ts) and DEP profiles (dep-profiles.ts).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerDepServerCommands } from './dep-servers';
import { registerDepProfileCommands } from './dep-profiles';

/** Registers every `dep` sub-command on the `dep` command group. */
export function registerDepCommands(dep: Command, ctx: CliContext): void {
  registerDepServerCommands(dep, ctx);
  registerDepProfileCommands(dep, ctx);
  dep.addHelpText('after', '\nSee README.md "Automated Device Enrollment" for the workflow.');
}
