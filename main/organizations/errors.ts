/** Organization errors, each saying what to do. */

/** Invalid organization input (name, file, key). CLI exit code 2. */
export class OrganizationInputError extends Error {
  /** The CLI maps this to exit status 2 (invalid input). */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'OrganizationInputError';
  }
}

/** No organization with this id (or name). */
export class OrganizationNotFoundError extends Error {
  readonly exitCode = 2;
  constructor(readonly ref: string) {
    super(`no organization "${ref}"; list them with \`stagebench org list\`, or create one with \`stagebench org create --name NAME\``);
    this.name = 'OrganizationNotFoundError';
  }
}

/** The name or certificate is already used by another organization. */
export class DuplicateOrganizationError extends Error {
  readonly exitCode = 2;
  constructor(detail: string) {
    super(detail);
    this.name = 'DuplicateOrganizationError';
  }
}
