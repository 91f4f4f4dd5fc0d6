/**
 * What an invitation points the user at: the `mirp://` launch link for Ivanti Mobile@Work / Go and
 * the server entry the invitation asks the user to type.
 *
 * mirp follows Ivanti "Using Bulk Enrollment for Android" — "The Registration Protocol (mirp) is
 * used to encode relevant data for registration", `mirp://<server-host>?key=value&…` with keys
 * `user` (email as typed into iReg) and `pin` — and the EPMM page "Customized registration using a
 * URL or a QR Code" (iOS, PIN-based). Parameters are percent-encoded (`@` → `%40`).
 */
import type { RegistrationSettings } from './types';

/** `mirp://<host>?user=<email>&pin=<PIN>` with both values percent-encoded; `host` may carry a port. */
export function mirpUrl(host: string, email: string, pin: string): string {
  return `mirp://${host}?user=${encodeURIComponent(email)}&pin=${encodeURIComponent(pin)}`;
}

/** The host (and port) of the tenant server URL, e.g. `mdm.example.com`. */
export function serverHost(serverUrl: string): string {
  return new URL(serverUrl).host;
}

/** The domain part of an email address (`alice@example.com` → `example.com`). */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

/**
 * What the invitation asks the user to enter in Mobile@Work / Go: with Server Name Lookup on, the
 * email domain (the app looks the server up); off, the full server URL.
 */
export function serverEntry(settings: RegistrationSettings, email: string): string {
  return settings.serverNameLookup ? emailDomain(email) : (settings.serverUrl ?? '');
}
