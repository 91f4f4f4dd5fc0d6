/**
 * The `prepare` action executor over the supervision module (main/organizations
 * `SupervisionService.prepare`, main/apple/prepare `prepareDevice`): cloud configuration
 * (Setup Assistant skip keys, supervision by an organization), language and locale. The
 * blueprint's cached session with the device is released first, since prepare opens its own
 * lockdownd and MCInstall connections. Register it with
 * `registerActionExecutor('prepare', supervisionPrepareExecutor(app.supervision))`.
 */
import type { PrepareInput, SupervisionService } from '../organizations';
import type { ActionExecutor } from './executors';
import type { PrepareAction } from './schema';

/** Maps a prepare action to the supervision service's PrepareInput. `options` keys pass through (e.g. allowPairing, mandatory, configurationUrl, dep). */
export function prepareInputOf(action: PrepareAction): PrepareInput {
  return {
    ...(action.options as Partial<PrepareInput> | undefined),
    ...(action.supervised !== undefined ? { supervised: action.supervised } : {}),
    ...(action.organizationId ? { orgId: action.organizationId } : {}),
    ...(action.skipSetup === 'all' ? { skipAll: true } : action.skipSetup ? { skip: action.skipSetup } : {}),
    ...(action.language ? { language: action.language } : {}),
    ...(action.locale ? { locale: action.locale } : {}),
  };
}

/** The executor: prepares the device and reports mode, supervision and the operator's instructions. */
export function supervisionPrepareExecutor(supervision: Pick<SupervisionService, 'prepare'>): ActionExecutor<PrepareAction> {
  return async (action, ctx) => {
    await ctx.transport.release(ctx.udid);
    const r = await supervision.prepare(ctx.udid, prepareInputOf(action), (p) => ctx.io.prompt(p.message));
    for (const w of r.warnings) ctx.io.log('warn', w);
    for (const i of r.instructions) ctx.io.log('info', `operator: ${i}`);
    return `prepared (${r.mode}${r.supervised ? ', supervised' : ''})${r.instructions.length ? `; ${r.instructions.join(' ')}` : ''}`;
  };
}
