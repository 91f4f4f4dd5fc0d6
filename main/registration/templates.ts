/**
 * Invitation templates per language: the shipped defaults in `resources/templates/invitation/<lang>.html`
 * (with `sheet.css` for the printable page), and the admin's edited copies kept in
 * `registration_templates`. Also wraps rendered invitations into one HTML document (one A4 page
 * each) for preview and print-to-PDF.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store';
import { RegistrationInputError } from './errors';
import { escapeHtml, validateTemplate } from './template-engine';
import { LANGUAGES, type Language } from './types';

/** Directory of the shipped templates. */
export const DEFAULT_TEMPLATES_DIR = path.resolve(import.meta.dirname, '../../resources/templates/invitation');

/** A template as the UI edits it. `custom` is true when the admin saved their own copy. */
export interface InvitationTemplate {
  language: Language;
  html: string;
  custom: boolean;
  updatedAt: string | null;
}

/** The shipped template of `language`. Throws when the resource file is missing (a broken install). */
export function defaultTemplate(language: Language, dir = DEFAULT_TEMPLATES_DIR): string {
  const file = path.join(dir, `${language}.html`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`the invitation template ${file} is missing; reinstall StageBench`);
  }
}

/** The stylesheet of invitation pages (A4, one invitation per page). */
export function sheetCss(dir = DEFAULT_TEMPLATES_DIR): string {
  return fs.readFileSync(path.join(dir, 'sheet.css'), 'utf8');
}

/** The template in force for `language`: the admin's copy when saved, else the shipped one. */
export function getTemplate(db: Db, language: Language, dir = DEFAULT_TEMPLATES_DIR): InvitationTemplate {
  const row = db.prepare('SELECT html, updated_at FROM registration_templates WHERE language = ?').get(language) as { html: string; updated_at: string } | undefined;
  return row ? { language, html: row.html, custom: true, updatedAt: row.updated_at } : { language, html: defaultTemplate(language, dir), custom: false, updatedAt: null };
}

/** Validates (template-engine rules) and stores the admin's template for `language`. Throws RegistrationInputError. */
export function saveTemplate(db: Db, language: Language, html: string, at: string): void {
  if (!LANGUAGES.includes(language)) throw new RegistrationInputError('language', `no invitation template language "${String(language)}"; use ${LANGUAGES.join(', ')}`);
  validateTemplate(html);
  db.prepare('INSERT INTO registration_templates (language, html, updated_at) VALUES (?, ?, ?) ON CONFLICT(language) DO UPDATE SET html = excluded.html, updated_at = excluded.updated_at')
    .run(language, html, at);
}

/** Drops the admin's template for `language` (back to the shipped one). Returns whether one existed. */
export function resetTemplate(db: Db, language: Language): boolean {
  return db.prepare('DELETE FROM registration_templates WHERE language = ?').run(language).changes > 0;
}

/**
 * One HTML document holding `fragments` (rendered invitations), each in its own
 * `<section class="sheet">` that the stylesheet breaks onto its own printed page. A strict
 * Content-Security-Policy allows no scripts and no network loads (images only from data: URLs).
 */
export function invitationDocument(fragments: readonly string[], language: Language, title: string, css: string): string {
  return documentFromBody(fragments.map((f) => `<section class="sheet">\n${f}\n</section>`).join('\n'), language, title, css);
}

/** The document around an already assembled `<body>` content (sheets). */
export function documentFromBody(body: string, language: Language, title: string, css: string): string {
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
