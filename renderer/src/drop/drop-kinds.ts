/** What a dropped file is, by its extension. */

/** Kinds of files StageBench accepts by drag and drop. */
export type DropKind = 'mobileconfig' | 'p12' | 'csv' | 'p7m' | 'unknown';

/** The kind of `name` (case-insensitive extension). */
export function dropKind(name: string): DropKind {
  const n = name.toLowerCase();
  if (n.endsWith('.mobileconfig')) return 'mobileconfig';
  if (n.endsWith('.p12') || n.endsWith('.pfx')) return 'p12';
  if (n.endsWith('.csv')) return 'csv';
  if (n.endsWith('.p7m')) return 'p7m';
  return 'unknown';
}

/** The accepted kinds with what happens to them (shown on the drop overlay). */
export const DROP_HELP: { ext: string; what: string }[] = [
  { ext: '.mobileconfig', what: 'inspect, verify, keep or install on a device' },
  { ext: '.p12', what: 'import a signing identity' },
  { ext: '.csv', what: 'import registration users' },
  { ext: '.p7m', what: 'upload an ABM server token' },
];
