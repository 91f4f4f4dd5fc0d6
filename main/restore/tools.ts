/** Finding external tools on PATH and asking them for their version, without a shell. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Absolute path of executable `name` in `pathVar` (`PATH` format), or null. */
export function findExecutable(name: string, pathVar: string | undefined, platform: NodeJS.Platform = process.platform): string | null {
  const exts = platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (pathVar ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const p = path.join(dir, name + ext);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        if (fs.statSync(p).isFile()) return p;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** First line of `file args` output (stdout, else stderr), or null when it fails or takes over `timeoutMs`. */
export function toolVersion(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 5_000): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      const text = `${stdout}`.trim() || `${stderr}`.trim();
      resolve(text ? text.split('\n')[0].trim() : err ? null : '');
    });
  });
}
