/** Registration (users, Device Registration settings, invitations, PINs, QR codes, templates, PDF sheets): public face. */
export { createRegistrationService, type RegistrationService, type RegistrationServiceOptions, type UsersImportResult, type InviteOptions, type InviteResult } from './service';
export { RegistrationInputError, RegistrationStateError } from './errors';
export * from './types';
export { generatePin, hashPin, pinMatches, DEFAULT_PIN_HASH_PARAMS, type PinHashParams } from './pin';
export { mirpUrl, serverEntry, emailDomain } from './links';
export { qrPng, qrDataUrl } from './qr';
export { escapeHtml, renderTemplate, validateTemplate, PLACEHOLDERS, SECTION_FLAGS, type TemplateContext } from './template-engine';
export { invitationNeedsPin, registrationUrl, normalizeServerUrl, PIN_LENGTH_MIN, PIN_LENGTH_MAX, PIN_LIFETIME_MAX_HOURS } from './settings';
export { parseUsersCsv, usersToCsv, type CsvRowError } from './users-csv';
export { htmlToPdf, defaultChromiumPath } from './sheets-pdf';
export type { InvitationTemplate } from './templates';
