/** Bench blueprint actions over the store: apply (with progress), cancel, auto-apply, import. Results and errors go to toasts. */
import { api, messageOf } from '../../api';
import type { ShowToast } from '../../components/Toasts';
import { loadBlueprints, patchBlueprints } from './blueprint-store';

/** Applies `name` to `udids` (all attached when empty) and reports the outcome. */
export async function applyBlueprint(name: string, udids: string[], toast: ShowToast): Promise<void> {
  patchBlueprints({ applying: true, cancelling: false, progress: {}, failures: {}, lastRun: null });
  try {
    const r = await api().invoke('blueprints:apply', { name, ...(udids.length ? { udids } : {}) });
    patchBlueprints({ lastRun: r });
    const cancelled = r.devices.filter((d) => d.error?.includes('cancelled by the operator')).length;
    const resumed = r.devices.filter((d) => d.resumes > 0).length;
    if (cancelled) toast({ severity: 'warning', message: `“${name}” cancelled: ${r.succeeded} finished, ${cancelled} stopped` });
    else if (r.failed === 0)
      toast({ severity: 'success', message: `“${name}” applied to ${r.succeeded} device${r.succeeded === 1 ? '' : 's'}${resumed ? ` (${resumed} resumed after a reconnect)` : ''}` });
    else toast({ severity: 'error', message: `“${name}”: ${r.failed} of ${r.devices.length} devices failed — open a device’s log to see why` });
  } catch (err) {
    toast({ severity: 'error', message: `Could not apply “${name}”: ${messageOf(err)}` });
  } finally {
    patchBlueprints({ applying: false, cancelling: false });
  }
}

/** Asks the running applies to stop between steps. */
export async function cancelBlueprint(toast: ShowToast): Promise<void> {
  patchBlueprints({ cancelling: true });
  try {
    await api().invoke('blueprints:cancel');
  } catch (err) {
    patchBlueprints({ cancelling: false });
    toast({ severity: 'error', message: `Could not cancel: ${messageOf(err)}` });
  }
}

/** Turns auto-apply of `name` on, or off (null). */
export async function setAutoApply(name: string | null, toast: ShowToast): Promise<void> {
  try {
    const state = await api().invoke('blueprints:auto-apply', { name });
    patchBlueprints({ autoApply: state });
    toast({ severity: 'info', message: name ? `Auto-apply on: every device you attach now runs “${name}”` : 'Auto-apply off' });
    await loadBlueprints();
  } catch (err) {
    toast({ severity: 'error', message: `Auto-apply could not ${name ? 'start' : 'stop'}: ${messageOf(err)}` });
  }
}

/** Imports a blueprint export file and selects it. */
export async function importBlueprint(file: File, toast: ShowToast): Promise<void> {
  try {
    const r = await api().invoke('blueprints:import', { text: await file.text() });
    await loadBlueprints();
    patchBlueprints({ selected: r.blueprint.name });
    toast({
      severity: r.missingSecrets.length ? 'warning' : 'success',
      message: r.missingSecrets.length
        ? `Imported “${r.blueprint.name}”; it needs ${r.missingSecrets.join(', ')} before it can run — re-create it with the secret`
        : `Imported “${r.blueprint.name}”`,
    });
  } catch (err) {
    toast({ severity: 'error', message: `Could not import ${file.name}: ${messageOf(err)}` });
  }
}

/** Deletes blueprint `name` and reloads the list; returns true when it was deleted. */
export async function deleteBlueprint(name: string, toast: ShowToast): Promise<boolean> {
  try {
    const r = await api().invoke('blueprints:delete', { name });
    await loadBlueprints();
    toast({ severity: r.deleted ? 'success' : 'warning', message: r.deleted ? `Blueprint “${name}” deleted` : `“${name}” was already gone` });
    return r.deleted;
  } catch (err) {
    toast({ severity: 'error', message: `Could not delete “${name}”: ${messageOf(err)}` });
    return false;
  }
}
