/** Errors of the sync engine (tenant errors are in main/tenant/errors.ts). */

/** Invalid input to the sync (a local change, a resolution): the message names the field. */
export class SyncInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncInputError';
  }
}

/** No such conflict / outbox entry, or it is already resolved. */
export class SyncNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncNotFoundError';
  }
}
