/**
 * Field errors from the registration channels: the handlers send the service's RegistrationInputError
 * with the code `E_FIELD_<FIELD>` (main/ipc/handlers-registration.ts); the bridge appends the code
 * to the message as `[E_FIELD_…]`. These helpers read the field back so forms show the message
 * under it.
 */
import { messageOf } from '../../api';

/** A field error: the field (camelCase, e.g. `pinLength`) or null, and the message to show. */
export interface FieldError {
  field: string | null;
  message: string;
}

/** The field and message of a rejected registration call. */
export function fieldError(err: unknown): FieldError {
  const text = err instanceof Error ? err.message : String(err);
  const m = /\[E_FIELD_([A-Z0-9_]+)\]$/.exec(text);
  const field = m ? m[1].toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : null;
  return { field, message: messageOf(err) };
}
