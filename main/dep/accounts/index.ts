/** macOS account setup for ADE (AccountConfiguration, passwordHash): public face. */
export {
  saltedSha512Pbkdf2, parsePasswordHash, passwordMatchesHash,
  PASSWORD_HASH_SALT_BYTES, PASSWORD_HASH_ENTROPY_BYTES, PASSWORD_HASH_ITERATIONS,
} from './password-hash';
export type { SaltedSha512Pbkdf2, PasswordHashOptions } from './password-hash';
export { emptyAccountSetup, accountSetupInUse, validateAccountSetup, buildAccountConfiguration, SHORT_NAME } from './account-setup';
export type { MacAccountSetup, ManagedAdminAccount, PrimaryAccount, AdminPasswordInput } from './account-setup';
