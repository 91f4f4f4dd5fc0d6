/**
 * Organizations page channels: list, create (new supervision identity), import (.p12 + password,
 * or DER/PEM certificate + private key) and export the supervision certificate. The private key
 * is input only (sealed by main/organizations) and never leaves; the p12 password is used once.
 */
import { z } from 'zod';

import { ORGANIZATION_CHANNELS } from './names-organizations';

export { ORGANIZATION_CHANNELS };

const noInput = z.union([z.undefined(), z.null(), z.strictObject({})]);
const MAX_BASE64 = 2_000_000;
const base64 = z.string().min(1, 'must not be empty').max(MAX_BASE64, 'is too large').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const optText = (max: number) => z.string().max(max).optional();

/** Contact fields shown on a prepared device (Apple Configurator "Organization"). */
const contact = {
  department: optText(200),
  email: optText(200),
  phone: optText(100),
  address: optText(500),
};

/** An organization (main/organizations `OrganizationRow`); no key material. */
export const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  department: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  source: z.enum(['created', 'imported-p12', 'imported-der']),
  keyType: z.enum(['rsa', 'ec']),
  subject: z.string(),
  fingerprintSha256: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  createdAt: z.string(),
});

/** The organization channel map (same shape as contract.ts `channels` entries). */
export const organizationChannels = {
  'organizations:list': { summary: 'organizations with supervision identities', input: noInput, output: z.array(organizationSchema) },
  'organizations:create': {
    summary: 'create an organization with a new supervision identity',
    input: z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(200), ...contact }),
    output: organizationSchema,
  },
  'organizations:import-p12': {
    summary: 'import a supervision identity from a PKCS#12 file (the password is used once, never stored)',
    input: z.strictObject({ p12Base64: base64, password: z.string().max(1000), name: optText(200), ...contact }),
    output: organizationSchema,
    secrets: [['password'], ['p12Base64']] as const,
  },
  'organizations:import-der': {
    summary: 'import a supervision identity from a certificate and its private key (DER or PEM)',
    input: z.strictObject({ certificateBase64: base64, privateKeyBase64: base64, name: optText(200), ...contact }),
    output: organizationSchema,
    secrets: [['privateKeyBase64']] as const,
  },
  'organizations:export-certificate': {
    summary: 'the supervision certificate (never the key), DER or PEM',
    input: z.strictObject({ id: z.string().min(1).max(200), format: z.enum(['der', 'pem']).optional() }),
    output: z.object({ filename: z.string(), mimeType: z.string(), base64: z.string() }),
  },
} satisfies Record<(typeof ORGANIZATION_CHANNELS)[number], { summary: string; input: z.ZodType; output: z.ZodType; secrets?: readonly (readonly string[])[] }>;

/** An organization as the renderer sees it. */
export type OrganizationOut = z.output<typeof organizationSchema>;
