/**
 * Runs Debian's libimobiledevice tools (idevice_id, idevicepair, ideviceinfo) against an emulator:
 * USBMUXD_SOCKET_ADDRESS points at it, HOME / XDG_CONFIG_HOME at a private temp directory
 * (libimobiledevice keeps its SystemBUID config there; pair records go through usbmuxd).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Output of a finished tool run. `code` is the exit status (null when killed). */
export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A private HOME for libimobiledevice; `cleanup()` removes it. */
export interface ToolHome {
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** Creates a temp HOME and the environment to reach the emulator at `address`. */
export function toolHome(address: string): ToolHome {
  const home = mkdtempSync(join(tmpdir(), 'emu-home-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), USBMUXD_SOCKET_ADDRESS: address };
  return { env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** Runs `cmd args` with `env`; never rejects on a non-zero exit (see `code`). Kills it after `timeoutMs`. */
export function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20000): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
