/** One migration: a version number (1, 2, ...), a name and its SQL. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
