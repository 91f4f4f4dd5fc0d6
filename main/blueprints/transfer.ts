/**
 * Blueprint export and import as a JSON file (`format: "stagebench-blueprint"`, `version: 1`,
 * schema.ts `blueprintFileSchema`). Secrets are never exported: a Wi-Fi password or SCEP
 * challenge appears only as its reference, listed under `secrets` with `exported: false`, and the
 * `notes` say how to supply it on import (`--secret-env REF=VAR`). Stored profiles and signing
 * identities are referenced by id (their bytes may hold secrets or private keys) with a note.
 */
import { actionStepNames, blueprintFileSchema, type BlueprintFile } from './schema';
import { referencedSecrets, type BlueprintRecord } from './repository';

/** Looks up the display facts of a stored profile for the export notes (null when unknown). */
export type ProfileLookup = (id: string) => { name: string; payloadIdentifier: string } | null;

/** Builds the export document of `b`. The result validates against `blueprintFileSchema`. */
export function exportBlueprint(b: BlueprintRecord, lookup: ProfileLookup = () => null, now = new Date()): BlueprintFile {
  const secrets = referencedSecrets(b.actions).map((s) => ({ ...s, exported: false as const }));
  const notes: string[] = [];
  for (const s of secrets) notes.push(`${s.what} is not exported (secret reference "${s.ref}"); supply it on import: stagebench blueprint import FILE --secret-env ${s.ref}=ENV_VAR`);
  const steps = actionStepNames(b.actions);
  b.actions.forEach((a, i) => {
    if ((a.type === 'enrollment-profile' || a.type === 'install-profile') && a.profileId) {
      const p = lookup(a.profileId);
      notes.push(`action ${i + 1} (${steps[i]}) refers to profile ${a.profileId}${p ? ` ("${p.name}", ${p.payloadIdentifier})` : ''} in the exporting bench's cache; the profile is not exported — import it on the target bench and set profileId`);
    }
    if (a.type === 'enrollment-profile' && a.identityId) {
      notes.push(`action ${i + 1} (${steps[i]}) signs with identity ${a.identityId}; private keys are never exported — import the identity on the target bench and set identityId`);
    }
  });
  const doc: BlueprintFile = {
    format: 'stagebench-blueprint',
    version: 1,
    exportedAt: now.toISOString(),
    notes,
    secrets,
    blueprint: { name: b.name, ...(b.description ? { description: b.description } : {}), actions: b.actions },
  };
  return blueprintFileSchema.parse(doc);
}

/** A file name for the export of `b`: `<slug>.blueprint.json`. */
export function exportFileName(b: { name: string }): string {
  return `${b.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'blueprint'}.blueprint.json`;
}
