/**
 * `stagebench dep …` — Automated Device Enrollment. Sub-commands are registered by the modules
 * that own them: servers/tokens/sync/devices (dep-servers.ts) and DEP profiles (dep-profiles.ts).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';

/** Registers every `dep` sub-command on the `dep` command group. */
export function registerDepCommands(dep: Command, _ctx: CliContext): void {
  dep.addHelpText('after', '\nSee README.md "Automated Device Enrollment" for the workflow.');
}
