/**
 * What happens to dropped files: .mobileconfig → the profile dialog, .p12/.pfx → identity import,
 * .csv → the registration users import, .p7m → the ABM token upload of the only ABM server (each
 * with a toast saying so when its service is not wired), anything else → a toast listing what can
 * be dropped.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AppStatus } from '../../../main/ipc/contract';
import { api, messageOf } from '../api';
import type { ShowToast } from '../components/Toasts';
import { fileToBase64, formatDate } from '../files';
import type { PageId } from '../shell/nav';
import { dropKind } from './drop-kinds';

/** Files waiting in the dialogs, and the drop handler. */
export interface DroppedFiles {
  mobileconfig: File | null;
  p12: File | null;
  closeMobileconfig: () => void;
  closeP12: () => void;
  onFiles: (files: File[]) => void;
}

/** Hands a dropped CSV to the registration users import and reports the outcome. */
async function importUsers(file: File, toast: ShowToast, navigate: (page: PageId) => void): Promise<void> {
  const open = { label: 'Open Users', run: () => navigate('users') };
  try {
    const r = await api().invoke('users:import-csv', { text: await file.text() });
    if (r.written) toast({ severity: 'success', message: `${file.name}: ${r.created} users added, ${r.updated} updated, ${r.unchanged} unchanged`, action: open });
    else toast({ severity: 'error', message: `${file.name} was not imported: ${r.rejected} row(s) need fixing (line ${r.errors[0]?.line}: ${r.errors[0]?.field} ${r.errors[0]?.message})`, action: open });
  } catch (err) {
    toast({ severity: 'error', message: `${file.name} was not imported: ${messageOf(err)}`, action: open });
  }
}

/** Hands a dropped .p7m to the ADE token upload (the only ABM server) and reports the outcome. */
async function uploadToken(file: File, toast: ShowToast, navigate: (page: PageId) => void): Promise<void> {
  const open = { label: 'Open Enrollment', run: () => navigate('enrollment') };
  try {
    const r = await api().invoke('dep:upload-token', { bytesBase64: await fileToBase64(file) });
    toast({ severity: 'success', message: `Token uploaded to ${r.server}; it expires ${formatDate(r.tokenExpires)}`, action: open });
  } catch (err) {
    toast({ severity: 'error', message: `${file.name}: ${messageOf(err)}`, action: open });
  }
}

/** The drop router. */
export function useDroppedFiles(status: AppStatus | null, toast: ShowToast, navigate: (page: PageId) => void): DroppedFiles {
  const [mobileconfig, setMobileconfig] = useState<File | null>(null);
  const [p12, setP12] = useState<File | null>(null);
  const onFiles = useCallback(
    (files: File[]) => {
      for (const file of files.slice(0, 1)) {
        switch (dropKind(file.name)) {
          case 'mobileconfig':
            setMobileconfig(file);
            break;
          case 'p12':
            setP12(file);
            break;
          case 'csv':
            if (status?.features.users) void importUsers(file, toast, navigate);
            else toast({ severity: 'warning', message: `Importing users from ${file.name} is not available yet: it arrives with the registration service.`, action: { label: 'Open Users', run: () => navigate('users') } });
            break;
          case 'p7m':
            if (status?.features.ade) void uploadToken(file, toast, navigate);
            else toast({ severity: 'warning', message: `Uploading the ABM server token ${file.name} is not available yet: it arrives with the ADE service.`, action: { label: 'Open Enrollment', run: () => navigate('enrollment') } });
            break;
          default:
            toast({ severity: 'warning', message: `StageBench cannot open ${file.name}. Drop a .mobileconfig, .p12, .csv or .p7m file.` });
        }
      }
      if (files.length > 1) toast({ severity: 'info', message: `Opened ${files[0].name}; drop the other ${files.length - 1} file(s) one at a time.` });
    },
    [status, toast, navigate],
  );
  // Files the OS opens with StageBench (the .mobileconfig file association) arrive as events and
  // take the same route as a drop.
  useEffect(
    () =>
      api().on('file:opened', ({ name, base64 }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        onFiles([new File([bytes], name)]);
      }),
    [onFiles],
  );

  return { mobileconfig, p12, closeMobileconfig: () => setMobileconfig(null), closeP12: () => setP12(null), onFiles };
}
