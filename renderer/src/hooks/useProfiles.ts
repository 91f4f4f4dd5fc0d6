/** Lists of built profiles and signing identities, with reload; the PKCS#12 identity import call. */
import { useCallback, useEffect, useState } from 'react';
import type { IdentityRow, ProfileRow } from '../../../main/app/types';
import { api, messageOf } from '../api';
import { fileToBase64 } from '../files';

/** A loaded list: rows, loading flag, error text and a reload function. */
export interface ListState<T> {
  rows: T[];
  loading: boolean;
  error: string | null;
  reload: () => Promise<void>;
}

function useList<T>(load: () => Promise<T[]>): ListState<T> {
  const [rows, setRows] = useState<T[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await load());
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoading(false);
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { rows, loading, error, reload };
}

const loadProfiles = () => api().invoke('profiles:list');
const loadIdentities = () => api().invoke('identities:list');

/** Built profiles (newest first as the service returns them). */
export function useProfiles(): ListState<ProfileRow> {
  return useList(loadProfiles);
}

/** Imported signing identities. */
export function useIdentities(): ListState<IdentityRow> {
  return useList(loadIdentities);
}

/**
 * Imports a signing identity from a PKCS#12 (.p12/.pfx) file through `identities:import`. The
 * label defaults to the file name without its extension when `label` is blank. Rejects with the
 * service error (wrong password, bad content) — the password is never part of the message.
 */
export async function importIdentityFile(file: File, password: string, label: string): Promise<IdentityRow> {
  return api().invoke('identities:import', {
    p12Base64: await fileToBase64(file),
    password,
    label: label.trim() || file.name.replace(/\.(p12|pfx)$/i, ''),
  });
}
