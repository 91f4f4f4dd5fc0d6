/**
 * The Electron-free IPC dispatcher: `(channel, rawArgs) → envelope`. Used by the Electron IPC
 * registration (after the sender check) and by the renderer test harness. It validates input with
 * the channel's zod schema, calls the service handler, validates and strips the output with the
 * output schema, and turns every failure into `{ok: false, error: {message, code?}}` — it never
 * throws, never returns a stack, and redacts the channel's secret input values from error text.
 */
import type { z } from 'zod';
import { channels, type Channels, type IpcEnvelope } from './contract';
import { collectSecrets, errorCode, errorMessage, formatIssues, IPC_ERROR_CODES, issuePath, redact } from './errors';
import { isInvokeChannel, type InvokeChannel } from './names';
import { createHandlers, type ChannelHandlers, type HandlerContext, type IpcServices } from './handlers';

/** A dispatcher: resolves to an envelope for any `channel`/`rawArgs`, never rejects. */
export type Dispatch = (channel: string, rawArgs: unknown) => Promise<IpcEnvelope>;

/** Options of the dispatcher. `log` receives diagnostic lines (never values); default console.error. */
export interface DispatcherOptions {
  log?: (line: string) => void;
}

/**
 * Dispatcher over explicit per-channel handlers (each receives the parsed input). Most callers
 * want `createDispatcher(services)`; this one exists for composition and tests.
 */
export function createDispatcherFromHandlers(handlers: ChannelHandlers, options: DispatcherOptions = {}): Dispatch {
  const log = options.log ?? ((line: string) => console.error(line));
  return async (channel, rawArgs) => {
    if (!isInvokeChannel(channel)) {
      return fail(`Unknown channel: ${JSON.stringify(String(channel)).slice(0, 80)}`, IPC_ERROR_CODES.unknownChannel);
    }
    const def = channels[channel] as Channels[InvokeChannel];
    const secrets = collectSecrets(rawArgs, 'secrets' in def ? def.secrets : undefined);
    const parsed = (def.input as z.ZodType).safeParse(rawArgs);
    if (!parsed.success) {
      return fail(redact(`Invalid input for ${channel}: ${formatIssues(parsed.error.issues)}`, secrets), IPC_ERROR_CODES.invalidInput);
    }
    let value: unknown;
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      value = await handler(parsed.data);
    } catch (err) {
      return fail(redact(errorMessage(err), secrets), errorCode(err) ?? IPC_ERROR_CODES.internal);
    }
    const out = (def.output as z.ZodType).safeParse(value);
    if (!out.success) {
      log(`[ipc] ${channel}: service returned an invalid response at ${out.error.issues.slice(0, 5).map((i) => issuePath(i.path)).join(', ')}`);
      return fail(`Internal error: ${channel} returned an invalid response`, IPC_ERROR_CODES.badOutput);
    }
    return { ok: true, value: out.data };
  };
}

/** Options of `createDispatcher`: handler context (version, usbmuxd address, event sink) and log. */
export interface ServiceDispatcherOptions extends DispatcherOptions, Partial<HandlerContext> {}

/**
 * The dispatcher over the application services (see `./handlers` for the channel → service
 * method mapping). `options.emit` receives staging progress events (default: dropped).
 * Never throws; see the module comment for the envelope rules.
 */
export function createDispatcher(services: IpcServices, options: ServiceDispatcherOptions = {}): Dispatch {
  const ctx: HandlerContext = {
    version: options.version ?? '0.0.0',
    usbmuxAddress: options.usbmuxAddress,
    emit: options.emit ?? (() => undefined),
  };
  return createDispatcherFromHandlers(createHandlers(services, ctx), options);
}

function fail(message: string, code: string): IpcEnvelope {
  return { ok: false, error: { message, code } };
}
