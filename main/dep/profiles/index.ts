/** ADE (DEP) profiles: Apple JSON, the Ivanti form model, validation, storage, assignments, outbox and the service. Public face. */
export { APPLE_PROFILE_KEY_TYPES, APPLE_PROFILE_LIMITS, charCount } from './apple-profile';
export type { AppleDepProfile } from './apple-profile';
export { formatDepIssue, assertNoDepErrors, DepProfileValidationError, DepProfileInputError } from './issues';
export type { DepProfileIssue, DepIssueSeverity, DepIssueSource } from './issues';
export { defaultProfileForm, completeProfileForm, AWAIT_TIME_LIMIT_DEFAULT_MINUTES, AWAIT_TIME_LIMIT_MAX_MINUTES } from './form';
export type { DepProfileForm, DepAuthentication, CustomEnrollment, MinimumOsRequirement, MinimumOsVersion, SharedIpadSettings } from './form';
export { formToAppleProfile, toBase64Der } from './to-apple';
export type { MappedDepProfile, DepMdmSettings, DepProfileContext, SharedDeviceSettings } from './to-apple';
export { appleProfileToForm, isAppleProfileJson } from './from-apple';
export { inspectCertificateFile, NotACertificateError } from './certificates';
export type { DepCertificateInfo } from './certificates';
export { validateAppleProfile, localeIssues, certificateListIssues, urlProblem, encodedUrlLength } from './validate-apple';
export { validateProfileForm, isKnownTimeZone, APPLE_KEY_TO_FORM_FIELD, SESSION_TIMEOUT_MIN_SECONDS, AUTO_LOCK_MIN_SECONDS, PASSCODE_GRACE_MAX_SECONDS } from './validate-form';
export type { FormValidationOptions } from './validate-form';
export type { DepDeviceAssignment, AssignmentState } from './assignments';
export { pushPending, listOutbox } from './outbox';
export type { DepProfileApi, OutboxItem, OutboxKind, OutboxState, PushReport, PushItemOutcome } from './outbox';
export type { DepProfileRecord, DepProfileSyncState } from './repository';
export { createDepProfileService, mergeProfileForm } from './service';
export type {
  DepProfileService, DepProfileServiceOptions, DepProfileSecrets, DepProfileSummary, DepProfileDetail, DepAssignResult, DepProfileWriteOptions,
} from './service';
