/**
 * What one invitation shows the user: registration URL and its QR code, the mirp:// launch link
 * and its QR code (iOS, when the In-App Registration Requirement asks for the registration PIN),
 * the server entry (server URL, or email domain with Server Name Lookup), and the HTML rendered
 * from the language's template.
 */
import { mirpUrl, emailDomain, serverEntry, serverHost } from './links';
import { qrDataUrl } from './qr';
import { requirementNeedsPassword, requirementNeedsPin } from './settings';
import { renderTemplate, type TemplateContext } from './template-engine';
import { documentFromBody, invitationDocument } from './templates';
import type { InvitationPlatform, Language, RegistrationSettings, RegistrationUser } from './types';

/** Inputs of one invitation's content. */
export interface ContentInput {
  user: Pick<RegistrationUser, 'email' | 'firstName' | 'lastName' | 'source'>;
  settings: RegistrationSettings;
  platform: InvitationPlatform;
  language: Language;
  registrationUrl: string;
  /** The PIN in clear, or null. */
  pin: string | null;
  /** ISO-8601 expiry of the PIN, or null. */
  pinExpiresAt: string | null;
  /** The template HTML in force for `language`. */
  template: string;
  /** The invitation stylesheet. */
  css: string;
}

/** The rendered content. `html` is a complete HTML document (one sheet). */
export interface InvitationContent {
  mirpUrl: string | null;
  registrationQr: string;
  mirpQr: string | null;
  serverEntry: string;
  html: string;
}

/** Whether the invitation carries a mirp:// link: iOS, a PIN issued, and the In-App Registration Requirement asks for it. */
export function usesMirp(settings: RegistrationSettings, platform: InvitationPlatform, pin: string | null): boolean {
  return platform === 'ios' && pin !== null && settings.serverUrl !== null && requirementNeedsPin(settings.inAppRequirement);
}

/** Renders an invitation's content (QR codes generated locally). */
export async function renderInvitation(input: ContentInput): Promise<InvitationContent> {
  const { user, settings, pin } = input;
  const mirp = usesMirp(settings, input.platform, pin) ? mirpUrl(serverHost(settings.serverUrl!), user.email, pin!) : null;
  const registrationQr = await qrDataUrl(input.registrationUrl);
  const mirpQr = mirp ? await qrDataUrl(mirp) : null;
  const entry = serverEntry(settings, user.email);
  const ctx: TemplateContext = {
    values: {
      USER_ID: user.email,
      USER_NAME: `${user.firstName} ${user.lastName}`.trim() || user.email,
      FIRST_NAME: user.firstName,
      LAST_NAME: user.lastName,
      SERVER_URL: settings.serverUrl ?? '',
      SERVER_ENTRY: entry,
      EMAIL_DOMAIN: emailDomain(user.email),
      REGISTRATION_URL: input.registrationUrl,
      PASSCODE: pin ?? '',
      PASSCODE_TTL: String(settings.pinLifetimeHours),
      PASSCODE_EXPIRES: input.pinExpiresAt ? formatUtc(input.pinExpiresAt) : '',
      QR_IMAGE: registrationQr,
      MIRP_URL: mirp ?? '',
      MIRP_QR_IMAGE: mirpQr ?? '',
    },
    flags: {
      PASSCODE: pin !== null,
      MIRP: mirp !== null,
      SERVER_NAME_LOOKUP: settings.serverNameLookup,
      PASSWORD: requirementNeedsPassword(input.platform === 'macos' ? settings.webRequirement : settings.inAppRequirement),
      LDAP: user.source === 'ldap',
      SAML: settings.samlWebRegistration,
      IOS: input.platform === 'ios',
      MACOS: input.platform === 'macos',
    },
  };
  const fragment = renderTemplate(input.template, ctx);
  return { mirpUrl: mirp, registrationQr, mirpQr, serverEntry: entry, html: invitationDocument([fragment], input.language, `Device registration — ${user.email}`, input.css) };
}

/**
 * Joins single-invitation documents (from renderInvitation) into one document with one sheet per
 * invitation, for print-to-PDF. Throws when a document has no body (not from renderInvitation).
 */
export function combineDocuments(documents: readonly string[], language: Language, css: string): string {
  const bodies = documents.map((d, i) => {
    const m = /<body>\n([\s\S]*)\n<\/body>\n<\/html>\n?$/.exec(d);
    if (!m) throw new Error(`invitation ${i + 1} is not a rendered invitation document`);
    return m[1];
  });
  return documentFromBody(bodies.join('\n'), language, 'Device registration invitations', css);
}

/** `2025-06-01T14:00:00.000Z` → `2025-06-01 14:00 UTC`. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
