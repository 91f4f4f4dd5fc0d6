/**
 * CSV import and export of registration users (csv-parse / csv-stringify, RFC 4180 quoting).
 *
 * Import maps headers by name with aliases (case, spaces and punctuation ignored): email
 * (`email`, `emailAddress`, `e-mail`, `mail`, `userPrincipalName`, `uid`, `username`, `user id`),
 * firstName (`first name`, `givenName`, `first`), lastName (`last name`, `surname`, `sn`,
 * `family name`), source (`source`, `accountSource`: local / ldap), ldapDn (`dn`,
 * `distinguishedName`, `ldap dn`), role (`role`, `user portal role`), language (`language`,
 * `lang`, `locale`). The delimiter (`,` `;` or tab) follows the header line. Every problem is
 * reported with its line number (1-based, the record's first line) and field; nothing is decided
 * here about writing — see the service.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { RegistrationInputError } from './errors';
import { parseDn, parseEmail, parseLanguage, parseName, parseRole, parseSource } from './user-fields';
import type { Language, PortalRole, RegistrationUser, UserSource } from './types';

/** One problem in an imported file. `line` is 1-based; `field` is the user field (or `row`, `file`). */
export interface CsvRowError {
  line: number;
  field: string;
  message: string;
}

/** A row that passed the field rules. */
export interface CsvUserRow {
  line: number;
  email: string;
  firstName: string;
  lastName: string;
  source: UserSource;
  ldapDn: string | null;
  role: PortalRole;
  language: Language;
}

/** A user field a CSV column maps to. */
export type CsvField = 'email' | 'firstName' | 'lastName' | 'source' | 'ldapDn' | 'role' | 'language';

/**
 * Result of parsing: valid rows, row errors, notes (ignored columns) and which fields the file
 * has columns for (an update leaves fields without a column unchanged).
 */
export interface ParsedUsersCsv {
  rows: CsvUserRow[];
  present: CsvField[];
  errors: CsvRowError[];
  notes: string[];
}

type Field = CsvField;

const ALIASES: Record<Field, string[]> = {
  email: ['email', 'emailaddress', 'mail', 'userprincipalname', 'upn', 'uid', 'username', 'userid', 'registrationusername'],
  firstName: ['firstname', 'givenname', 'first', 'forename'],
  lastName: ['lastname', 'surname', 'sn', 'familyname', 'last'],
  source: ['source', 'accountsource', 'usersource', 'type'],
  ldapDn: ['dn', 'distinguishedname', 'ldapdn'],
  role: ['role', 'roles', 'userportalrole', 'portalrole'],
  language: ['language', 'lang', 'locale'],
};

/** Largest file accepted, bytes. */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;

/**
 * Parses a users CSV. Throws RegistrationInputError (field `file`) when the file as a whole is
 * unusable: too large, not CSV (unclosed quote, with its line), no header, no email column, a
 * column mapped twice. Row problems go to `errors`, including an email repeated within the file.
 */
export function parseUsersCsv(text: string, defaultLanguage: Language): ParsedUsersCsv {
  if (Buffer.byteLength(text, 'utf8') > MAX_CSV_BYTES) throw new RegistrationInputError('file', `the CSV file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MiB; split it`);
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new RegistrationInputError('file', `the file is not valid CSV${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}; save it as CSV (UTF-8) and retry`);
  }
  if (records.length === 0) throw new RegistrationInputError('file', 'the CSV file is empty; the first line must be a header such as email,first name,last name');
  const header = records[0].record;
  const columns = new Map<Field, number>();
  const notes: string[] = [];
  header.forEach((h, i) => {
    const key = h.toLowerCase().replace(/[^a-z0-9]/g, '');
    const field = (Object.keys(ALIASES) as Field[]).find((f) => ALIASES[f].includes(key));
    if (!field) {
      notes.push(`column "${h}" is not a user field and was ignored`);
      return;
    }
    if (columns.has(field)) throw new RegistrationInputError('file', `columns "${header[columns.get(field)!]}" and "${h}" both map to ${field}; keep one`);
    columns.set(field, i);
  });
  if (!columns.has('email')) {
    throw new RegistrationInputError('file', `the header has no email column (found: ${header.join(', ')}); name one column email (or emailAddress, mail, userPrincipalName)`);
  }

  const rows: CsvUserRow[] = [];
  const errors: CsvRowError[] = [];
  const seen = new Map<string, number>();
  // A record's first line: count line feeds before its first byte (csv-parse's `info.bytes` is where
  // the previous record ended, BOM included), skipping the empty lines between records.
  const bytes = Buffer.from(text, 'utf8');
  let lfBefore = 0;
  let scanned = 0;
  const lineAt = (start: number): number => {
    let at = start;
    while (at < bytes.length && (bytes[at] === 0x0a || bytes[at] === 0x0d)) at++;
    for (; scanned < at; scanned++) if (bytes[scanned] === 0x0a) lfBefore++;
    return lfBefore + 1;
  };
  let previousEnd = records[0].info.bytes;
  for (const { record, info } of records.slice(1)) {
    const line = lineAt(previousEnd);
    previousEnd = info.bytes;
    if (record.length !== header.length) {
      errors.push({ line, field: 'row', message: `has ${record.length} fields but the header has ${header.length}; check for a missing or extra delimiter` });
      continue;
    }
    const cell = (f: Field): string | undefined => (columns.has(f) ? unguard(record[columns.get(f)!]) : undefined);
    const rowErrors: CsvRowError[] = [];
    const take = <T>(field: Field, fn: () => T): T | undefined => {
      try {
        return fn();
      } catch (err) {
        if (!(err instanceof RegistrationInputError)) throw err;
        rowErrors.push({ line, field, message: err.message });
        return undefined;
      }
    };
    const email = take('email', () => parseEmail(cell('email')));
    const firstName = take('firstName', () => parseName(cell('firstName'), 'firstName'));
    const lastName = take('lastName', () => parseName(cell('lastName'), 'lastName'));
    const source = take('source', () => parseSource(cell('source')));
    const ldapDn = take('ldapDn', () => parseDn(cell('ldapDn')));
    const role = take('role', () => parseRole(cell('role')));
    const language = take('language', () => parseLanguage(cell('language'), 'language', defaultLanguage));
    if (source === 'local' && ldapDn) rowErrors.push({ line, field: 'ldapDn', message: 'a local user has no LDAP distinguished name; set source to ldap or clear the DN' });
    if (email) {
      const first = seen.get(email);
      if (first !== undefined) rowErrors.push({ line, field: 'email', message: `${email} already appears on line ${first}` });
      else seen.set(email, line);
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push({ line, email: email!, firstName: firstName!, lastName: lastName!, source: source!, ldapDn: ldapDn ?? null, role: role!, language: language! });
  }
  return { rows, errors, notes, present: [...columns.keys()] };
}

/** Export columns, in order; the import reads them back unchanged. */
export const EXPORT_COLUMNS = ['email', 'first name', 'last name', 'source', 'ldap dn', 'role', 'language', 'created at'] as const;

/**
 * Users as CSV (header + one line a user, CRLF line ends, UTF-8). Cells that a spreadsheet would
 * run as a formula (starting with = + - @ tab or CR) get a leading apostrophe, which the import
 * removes again.
 */
export function usersToCsv(users: readonly RegistrationUser[]): string {
  return stringify(
    users.map((u) => [u.email, u.firstName, u.lastName, u.source, u.ldapDn ?? '', u.role, u.language, u.createdAt].map(guard)),
    { header: true, columns: [...EXPORT_COLUMNS], record_delimiter: 'windows' },
  );
}

function guard(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function unguard(v: string | undefined): string | undefined {
  return v !== undefined && /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
}
