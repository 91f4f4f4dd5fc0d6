/**
 * MCInstall failures: `Status:"Error"` with `ErrorChain:[{ErrorDomain, ErrorCode,
 * LocalizedDescription}]`, or a special status (CommandFormatError, ErrorPayloadEmpty,
 * CertificateRejected, SignedRequestRejected, ProvisionalEnrollmentRejected, NonceNotReceived).
 * Device-side dispatcher `MTIPCUTunnelParser`; ../shared/reference/device-protocols.md §3.1.
 */
import { isPlistDict, type PlistValue } from '../wire';

/** One link of an MCInstall ErrorChain (Apple's keys). */
export interface MCErrorChainEntry {
  ErrorDomain?: string;
  ErrorCode?: number;
  LocalizedDescription?: string;
  USEnglishDescription?: string;
}

const STATUS_HINTS: Readonly<Record<string, string>> = {
  CommandFormatError: 'the device did not understand the request (malformed or unknown RequestType)',
  ErrorPayloadEmpty: 'the request carried an empty payload; pass the profile bytes',
  CertificateRejected: 'the supervisor certificate is not one of the device cloud configuration SupervisorHostCertificates',
  SignedRequestRejected: 'the signed escalation response was not accepted (wrong key or challenge)',
  ProvisionalEnrollmentRejected: 'the device refused provisional enrollment',
  NonceNotReceived: 'the device expected a nonce first',
};

/** Known MCInstall error codes (ErrorCode) with what they mean for the operator. */
const CODE_HINTS: Readonly<Record<number, string>> = {
  14002: 'a cloud configuration is already present; erase the device first',
  4020: 'refused while Lockdown Mode is on',
  4021: 'refused while Lockdown Mode is on',
  37002: 'a passcode is set; remove it or use a supervised identity',
  33015: 'the device could not delete its pairing records',
};

/**
 * An MCInstall request did not succeed. `status` is the reply Status ("Error" or a special
 * status); `errorChain` the parsed ErrorChain (may be empty); `domain` / `code` /
 * `description` come from its first entry.
 */
export class MCInstallError extends Error {
  readonly domain?: string;
  readonly code?: number;
  readonly description?: string;

  constructor(readonly requestType: string, readonly status: string, readonly errorChain: MCErrorChainEntry[] = [], detail?: string) {
    super(`MCInstall ${requestType} failed: ${detail ?? describe(status, errorChain)}`);
    this.name = 'MCInstallError';
    const first = errorChain[0];
    this.domain = first?.ErrorDomain;
    this.code = first?.ErrorCode;
    this.description = first?.LocalizedDescription ?? first?.USEnglishDescription;
  }
}

function describe(status: string, chain: MCErrorChainEntry[]): string {
  if (chain.length === 0) return `${status}: ${STATUS_HINTS[status] ?? 'the device gave no ErrorChain'}`;
  return chain
    .map((e) => {
      const text = e.LocalizedDescription ?? e.USEnglishDescription ?? 'no description';
      const hint = e.ErrorCode !== undefined ? CODE_HINTS[e.ErrorCode] : undefined;
      return `${text} (${e.ErrorDomain ?? 'unknown domain'} ${e.ErrorCode ?? '?'})${hint ? ` — ${hint}` : ''}`;
    })
    .join('; caused by ');
}

/** Parses an `ErrorChain` value; entries that are not dictionaries are skipped. */
export function parseErrorChain(v: PlistValue | undefined): MCErrorChainEntry[] {
  if (!Array.isArray(v)) return [];
  const out: MCErrorChainEntry[] = [];
  for (const e of v) {
    if (!isPlistDict(e)) continue;
    const code = typeof e.ErrorCode === 'number' ? e.ErrorCode : typeof e.ErrorCode === 'bigint' ? Number(e.ErrorCode) : undefined;
    out.push({
      ErrorDomain: typeof e.ErrorDomain === 'string' ? e.ErrorDomain : undefined,
      ErrorCode: code,
      LocalizedDescription: typeof e.LocalizedDescription === 'string' ? e.LocalizedDescription : undefined,
      USEnglishDescription: typeof e.USEnglishDescription === 'string' ? e.USEnglishDescription : undefined,
    });
  }
  return out;
}
