/**
 * The emulator CLI (`npm run emulator -- …` = `tsx test/support/emulator/cli.ts`): prints exactly
 * `ready ADDRESS`, serves the requested devices, exits 0 on SIGTERM / SIGINT, 2 on bad arguments.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runTool, toolHome } from './helpers/tools';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'test', 'support', 'emulator', 'cli.ts');

function startCli(args: string[]): { child: ChildProcess; ready: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(TSX, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out);
    });
    void exit.then((code) => reject(new Error(`exited ${code} before ready: ${err}`)));
  });
  return { child, ready, exit, stderr: () => err };
}

describe('emulator CLI', () => {
  it('prints exactly "ready 127.0.0.1:PORT", serves N devices of the requested kinds, exits 0 on SIGTERM', async () => {
    const cli = startCli(['--listen', '127.0.0.1:0', '--devices', '4', '--kinds', 'appletv,ipad', '--seed', 'cli']);
    try {
      const line = await cli.ready;
      const m = /^ready (127\.0\.0\.1:(\d+))\n$/.exec(line);
      assert.ok(m, JSON.stringify(line));
      assert.ok(Number(m[2]) > 0);
      const home = toolHome(m[1]);
      try {
        const ids = await runTool('idevice_id', ['-l'], home.env);
        const udids = ids.stdout.trim().split('\n');
        assert.equal(udids.length, 4);
        assert.equal(udids.filter((u) => /^[0-9a-f]{40}$/.test(u)).length, 2, 'two Apple TVs');
        const info = await runTool('ideviceinfo', ['-s', '-u', udids[1], '-k', 'ProductType'], home.env);
        assert.equal(info.stdout.trim(), 'iPad13,4');
      } finally {
        home.cleanup();
      }
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit, 0);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('listens on a UNIX socket and exits 0 on SIGINT, removing the socket file', async () => {
    const path = join(tmpdir(), `emu-cli-${process.pid}.sock`);
    const cli = startCli(['--listen', `UNIX:${path}`, '--devices', '1', '--trust', 'pending:1']);
    try {
      assert.equal(await cli.ready, `ready UNIX:${path}\n`);
      const home = toolHome(`UNIX:${path}`);
      try {
        const r = await runTool('idevicepair', ['pair'], home.env);
        assert.notEqual(r.code, 0, 'pending trust prompt from --trust pending:1');
        assert.match(r.stdout + r.stderr, /trust dialog/i);
      } finally {
        home.cleanup();
      }
      cli.child.kill('SIGINT');
      assert.equal(await cli.exit, 0);
      assert.equal(existsSync(path), false);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('exits 2 on invalid arguments', async () => {
    for (const args of [['--kinds', 'toaster'], ['--devices', 'many'], ['--listen', 'nowhere'], ['--bogus']]) {
      const cli = startCli(args);
      cli.ready.catch(() => undefined);
      assert.equal(await cli.exit, 2, `${args.join(' ')}: ${cli.stderr()}`);
    }
  });
});
