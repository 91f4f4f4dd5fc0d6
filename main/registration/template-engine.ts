/**
 * The invitation template language: HTML with Ivanti-style `$NAME$` placeholders (as in EPMM
 * registration templates: `$PASSCODE$`, `$PASSCODE_TTL$`, `$SERVER_URL$`, `$USER_ID$`) and
 * conditional sections written as HTML comments, so a template stays valid HTML:
 *
 *   <!--if:PASSCODE--> … <!--end:PASSCODE-->      kept when the flag is on
 *   <!--if:!PASSCODE--> … <!--end:!PASSCODE-->    kept when it is off
 *
 * Every placeholder value is HTML-escaped (& < > " ') in one pass, so a user named
 * `<script>alert(1)</script>` renders as text and a value containing `$PASSCODE$` is not expanded.
 */
import { RegistrationInputError } from './errors';

/** Placeholder names and what they hold. */
export const PLACEHOLDERS = {
  USER_ID: 'registration user name (email address)',
  USER_NAME: 'first and last name, or the email address',
  FIRST_NAME: 'first name',
  LAST_NAME: 'last name',
  SERVER_URL: 'tenant server URL (https://host)',
  SERVER_ENTRY: 'what the user enters in the app: server URL, or email domain with Server Name Lookup',
  EMAIL_DOMAIN: "domain of the user's email address",
  REGISTRATION_URL: 'registration URL (…/go or …/ireg/…)',
  PASSCODE: 'registration PIN',
  PASSCODE_TTL: 'registration PIN lifetime, hours',
  PASSCODE_EXPIRES: 'when the registration PIN expires (UTC)',
  QR_IMAGE: 'QR code of the registration URL (PNG data URL, for an img src)',
  MIRP_URL: 'mirp:// launch link for Mobile@Work / Go',
  MIRP_QR_IMAGE: 'QR code of the mirp:// link (PNG data URL, for an img src)',
} as const;

/** A placeholder name. */
export type Placeholder = keyof typeof PLACEHOLDERS;

/** Section flags and when they are on. */
export const SECTION_FLAGS = {
  PASSCODE: 'the invitation carries a registration PIN',
  MIRP: 'a mirp:// QR code is included (iOS with a PIN)',
  SERVER_NAME_LOOKUP: 'Server Name Lookup is on',
  PASSWORD: 'a registration requirement asks for the password',
  LDAP: 'the user comes from the LDAP directory',
  SAML: 'SAML-based web registration is on',
  IOS: 'the invitation is for an iPhone or iPad',
  MACOS: 'the invitation is for a Mac',
} as const;

/** A section flag name. */
export type SectionFlag = keyof typeof SECTION_FLAGS;

/** Values and flags a template is rendered with. */
export interface TemplateContext {
  values: Record<Placeholder, string>;
  flags: Record<SectionFlag, boolean>;
}

/** Largest template accepted, characters. */
export const MAX_TEMPLATE_CHARS = 256 * 1024;

const PLACEHOLDER = /\$([A-Z][A-Z_]*)\$/g;
const MARKER = /<!--(if|end):(!?)([A-Z_]+)-->/g;

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Checks a template and throws RegistrationInputError (field `template`) naming the problem:
 * too long, unknown placeholder or section flag, a section not closed or closed out of order,
 * document tags (<html>, <head>, <body>), `<script>`, inline event handlers or `javascript:` URLs, or an image/style loaded from the
 * network (QR codes must come from $QR_IMAGE$ / $MIRP_QR_IMAGE$, generated locally).
 */
export function validateTemplate(html: string): void {
  const fail = (msg: string): never => {
    throw new RegistrationInputError('template', `invitation template: ${msg}`);
  };
  if (html.length > MAX_TEMPLATE_CHARS) fail(`longer than ${MAX_TEMPLATE_CHARS} characters`);
  const unknown = [...html.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((n) => !(n in PLACEHOLDERS));
  if (unknown.length) fail(`unknown placeholder ${[...new Set(unknown)].map((n) => `$${n}$`).join(', ')}; known: ${Object.keys(PLACEHOLDERS).map((n) => `$${n}$`).join(' ')}`);
  const stack: string[] = [];
  for (const m of html.matchAll(MARKER)) {
    const name = `${m[2]}${m[3]}`;
    if (!(m[3] in SECTION_FLAGS)) fail(`unknown section <!--${m[1]}:${name}-->; known: ${Object.keys(SECTION_FLAGS).join(', ')}`);
    if (m[1] === 'if') {
      if (stack.includes(name)) fail(`section ${name} is nested inside itself`);
      stack.push(name);
    } else if (stack.pop() !== name) {
      fail(`<!--end:${name}--> does not close the innermost open section`);
    }
  }
  if (stack.length) fail(`section ${stack[stack.length - 1]} is not closed (add <!--end:${stack[stack.length - 1]}-->)`);
  if (/<\/?(?:html|head|body)[\s>]/i.test(html)) fail('a template is the content of one invitation page; remove <html>, <head> and <body>');
  if (/<script[\s>/]/i.test(html)) fail('scripts are not allowed');
  if (/\son[a-z]+\s*=/i.test(html)) fail('inline event handlers (on…=) are not allowed');
  if (/javascript:/i.test(html)) fail('javascript: URLs are not allowed');
  if (/\b(?:src|srcset|poster|background)\s*=\s*["']?\s*(?:https?:)?\/\//i.test(html) || /url\(\s*["']?\s*(?:https?:)?\/\//i.test(html) || /@import/i.test(html)) {
    fail('images and styles must not load from the network; QR codes come from $QR_IMAGE$ and $MIRP_QR_IMAGE$, generated locally');
  }
}

/** Renders a validated template: sections by flag, then every placeholder escaped, in one pass each. */
export function renderTemplate(html: string, ctx: TemplateContext): string {
  let out = html;
  const section = /<!--if:(!?)([A-Z_]+)-->([\s\S]*?)<!--end:\1\2-->/;
  for (let m = section.exec(out); m; m = section.exec(out)) {
    const on = ctx.flags[m[2] as SectionFlag] === true;
    const keep = m[1] === '!' ? !on : on;
    out = out.slice(0, m.index) + (keep ? m[3] : '') + out.slice(m.index + m[0].length);
  }
  return out.replace(PLACEHOLDER, (whole, name: string) => (name in ctx.values ? escapeHtml(ctx.values[name as Placeholder]) : whole));
}
