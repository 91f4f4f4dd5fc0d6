/**
 * One call from token file bytes to DepTokens: unwrap S/MIME → decrypt CMS EnvelopedData with
 * the server key → parse the token JSON (AppleDocs "Authenticating for Automated Device
 * Enrollment" step 5).
 */
import type { DepTokens } from '../api/types';
import { decryptEnvelopedData, type RecipientKey } from './cms-decrypt';
import { unwrapSmime } from './smime';
import { parseTokenPlaintext } from './token-json';

/** Tokens and how the file was encrypted. */
export interface OpenedServerToken {
  tokens: DepTokens;
  keyTransport: 'rsaes-pkcs1-v1_5' | 'rsaes-oaep';
  contentCipher: string;
}

/** Opens a token file for `recipient`. Throws ServerTokenError (see its `reason`) on any problem. */
export function openServerToken(file: Uint8Array, recipient: RecipientKey): OpenedServerToken {
  const cms = unwrapSmime(file);
  const env = decryptEnvelopedData(cms, recipient);
  return { tokens: parseTokenPlaintext(env.plaintext), keyTransport: env.keyTransport, contentCipher: env.contentCipher };
}
