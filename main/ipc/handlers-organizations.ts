/**
 * Handlers of the organization channels (contract-organizations.ts): forwarding to
 * `app.supervision.organizations`, converting base64 to bytes. Key bytes are zeroed after use.
 */
import type { AppServices } from '../app/services';
import type { ORGANIZATION_CHANNELS } from './contract-organizations';
import type { ChannelHandlers, HandlerContext } from './handlers';

type OrganizationHandlers = Pick<ChannelHandlers, (typeof ORGANIZATION_CHANNELS)[number]>;

const slug = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'organization';

/** The organization channel handlers over `app.supervision.organizations`. */
export function createOrganizationHandlers(app: AppServices, _ctx: HandlerContext): OrganizationHandlers {
  const orgs = app.supervision.organizations;
  return {
    'organizations:list': () => orgs.list(),
    'organizations:create': (input) => orgs.create(input),
    'organizations:import-p12': ({ p12Base64, password, ...input }) => {
      const bytes = Buffer.from(p12Base64, 'base64');
      try {
        return orgs.importPkcs12(bytes, password, input);
      } finally {
        bytes.fill(0);
      }
    },
    'organizations:import-der': ({ certificateBase64, privateKeyBase64, ...input }) => {
      const key = Buffer.from(privateKeyBase64, 'base64');
      try {
        return orgs.importDer(Buffer.from(certificateBase64, 'base64'), key, input);
      } finally {
        key.fill(0);
      }
    },
    'organizations:export-certificate': ({ id, format = 'der' }) => {
      const org = orgs.get(id);
      const bytes = orgs.exportCertificate(org.id, format);
      return {
        filename: `${slug(org.name)}-supervision.${format === 'der' ? 'cer' : 'pem'}`,
        mimeType: format === 'der' ? 'application/pkix-cert' : 'application/x-pem-file',
        base64: bytes.toString('base64'),
      };
    },
  };
}
