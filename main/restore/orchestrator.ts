/**
 * Runs revive/restore on one or more devices (by ECID) with the backend chosen per device,
 * parsing the tool's output into progress reports, keeping a per-device log (in the cache when a
 * database is given: staging run of kind "revive"/"restore", one step, `device_logs` lines, audit)
 * and returning a summary. Devices run one after another by default (`concurrency`), since each
 * restore moves gigabytes over USB.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { appendDeviceLog } from '../bench/device-log';
import { appendAudit, createRun, finishRun, planDeviceSteps, setStepState, type Db } from '../store';
import { discoverRestoreTools, selectRestoreBackend, type RestoreHost, type RestoreTools } from './select';
import { ecidHex, RestoreNotSupportedError, type RestoreOperation, type RestoreProgress, type RestoreTarget } from './types';

/** Outcome for one device. */
export interface RestoreResult {
  ecid: string;
  udid: string | null;
  ok: boolean;
  /** Tool used, or null when none could be chosen. */
  backend: string | null;
  exitCode: number | null;
  error?: string;
  /** Last phase and percentage seen. */
  phase: string | null;
  percent: number | null;
  /** Last output lines (at most 50). */
  log: string[];
}

/** Summary of a revive/restore job. */
export interface RestoreSummary {
  runId: string | null;
  operation: RestoreOperation;
  devices: RestoreResult[];
  succeeded: number;
  failed: number;
}

/** Options of `runRestores`. */
export interface RestoreOptions {
  /** Firmware file (.ipsw); default: the tool fetches the latest from Apple. */
  ipsw?: string;
  host?: RestoreHost;
  /** Tools to use (default: discovered on `host`). */
  tools?: RestoreTools;
  /** Devices at once (default 1). */
  concurrency?: number;
  onProgress?: (p: RestoreProgress) => void;
  /** Cache for the run, logs and audit; omitted = nothing recorded. */
  db?: Db;
  actor?: string;
}

function runTool(file: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = 2;
    let code: number | null | undefined;
    const maybeDone = (): void => {
      if (pending === 0 && code !== undefined) resolve(code);
    };
    for (const stream of [child.stdout, child.stderr]) {
      // idevicerestore redraws its progress bar with \r: split on it too.
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf += chunk;
        const parts = buf.split(/\r\n|\n|\r/);
        buf = parts.pop() ?? '';
        for (const p of parts) onLine(p);
      });
      stream.on('end', () => {
        if (buf) onLine(buf);
        pending--;
        maybeDone();
      });
    }
    child.on('error', reject);
    child.on('close', (c) => {
      code = c;
      maybeDone();
    });
  });
}

/** Revives or restores every target; resolves with the summary (check `failed`). */
export async function runRestores(targets: RestoreTarget[], op: RestoreOperation, opts: RestoreOptions = {}): Promise<RestoreSummary> {
  const host = opts.host ?? { platform: process.platform, env: process.env };
  const tools = opts.tools ?? (await discoverRestoreTools(host));
  const db = opts.db;
  const actor = opts.actor ?? 'stagebench';
  const runId = db ? crypto.randomUUID() : null;
  const key = (t: RestoreTarget): string => t.udid ?? ecidHex(t.ecid);
  if (db && runId) {
    createRun(db, { id: runId, actor, options: { kind: op, ecids: targets.map((t) => ecidHex(t.ecid)), ipsw: opts.ipsw ?? null } });
    for (const t of targets) planDeviceSteps(db, runId, key(t), [op]);
  }
  const results: RestoreResult[] = [];
  const queue = [...targets];
  const one = async (t: RestoreTarget): Promise<RestoreResult> => {
    const ecid = ecidHex(t.ecid);
    const result: RestoreResult = { ecid, udid: t.udid ?? null, ok: false, backend: null, exitCode: null, phase: null, percent: null, log: [] };
    const log = (level: 'info' | 'warn' | 'error', message: string): void => {
      result.log.push(message);
      if (result.log.length > 50) result.log.shift();
      if (db && runId) appendDeviceLog(db, { runId, udid: key(t), level, step: op, message });
    };
    if (db && runId) setStepState(db, runId, key(t), op, 'running');
    try {
      const backend = selectRestoreBackend(tools, t, op, host);
      result.backend = backend.name;
      const args = backend.argv(t, op, opts.ipsw);
      log('info', `${backend.name}${backend.version ? ` (${backend.version})` : ''}: ${args.join(' ')}`);
      let toolError: string | null = null;
      let done = false;
      result.exitCode = await runTool(backend.path, args, host.env, (line) => {
        const parsed = backend.parseLine(line);
        if (!line.trim()) return;
        log(parsed?.error ? 'error' : 'info', line.trim());
        if (!parsed) return;
        if (parsed.error) toolError = parsed.error;
        if (parsed.done) done = true;
        if (parsed.phase) result.phase = parsed.phase;
        if (parsed.percent !== undefined) result.percent = parsed.percent;
        if (parsed.phase || parsed.percent !== undefined) opts.onProgress?.({ ecid, phase: result.phase ?? op, percent: result.percent, line: line.trim() });
      });
      if (result.exitCode === 0 && !(toolError && !done)) {
        result.ok = true;
      } else {
        result.error = toolError ?? `${backend.name} exited with status ${result.exitCode}`;
      }
    } catch (err) {
      result.error = err instanceof RestoreNotSupportedError ? err.message : `${(err as Error).message}`;
      log('error', result.error);
    }
    if (db && runId) {
      setStepState(db, runId, key(t), op, result.ok ? 'done' : 'failed', result.ok ? `${result.backend}: ${result.phase ?? 'finished'}` : result.error ?? '');
      appendAudit(db, { actor, action: `device.${op}`, target: key(t), outcome: result.ok ? 'success' : 'failure', detail: result.ok ? `${result.backend}` : result.error });
    }
    return result;
  };
  const workers = Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 1, targets.length)) }, async () => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) results.push(await one(t));
  });
  await Promise.all(workers);
  results.sort((a, b) => targets.findIndex((t) => ecidHex(t.ecid) === a.ecid) - targets.findIndex((t) => ecidHex(t.ecid) === b.ecid));
  const failed = results.filter((r) => !r.ok).length;
  if (db && runId) finishRun(db, runId, failed ? 'failed' : 'succeeded', results.length - failed, failed);
  return { runId, operation: op, devices: results, succeeded: results.length - failed, failed };
}
