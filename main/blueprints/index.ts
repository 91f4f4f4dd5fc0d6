/** Blueprints: named, ordered action lists applied to every device dropped on them. Public face. */
export * from './schema';
export * from './placeholders';
export * from './repository';
export * from './executors';
export * from './apply';
export * from './auto-apply';
export * from './transfer';
export { createBlueprintService, type BlueprintService, type BlueprintView } from './service';
export { supervisionPrepareExecutor, prepareInputOf } from './prepare-executor';
